import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CommandRequest } from '../../src/store/store.js';
import { inspectorStore } from '../../src/store/store.js';
import { ReplayView } from '../../src/views/ReplayView.js';
import { loadStore } from '../fixtures/store.js';
import { checkoutStream, exportNdjson, hello } from '../fixtures/stream.js';

function connectedWithSender() {
  loadStore(checkoutStream().messages);
  const sent: CommandRequest[] = [];
  const sender = vi.fn(async (command: CommandRequest): Promise<unknown> => {
    sent.push(command);
    return { items: [] };
  });
  inspectorStore.getState().setCommandSender(sender);
  return { sent, sender };
}

describe('ReplayView', () => {
  it('sends the recorded payload by default', async () => {
    const user = userEvent.setup();
    const { sent } = connectedWithSender();
    render(<ReplayView />);
    await user.click(screen.getByRole('checkbox', { name: 'Select emit #102 inventory.reserve' }));
    await user.click(screen.getByRole('checkbox', { name: 'Keep recorded timing' }));
    await user.click(screen.getByRole('button', { name: 'Send replay' }));

    const { seq } = inspectorStore.getState().data.emits.byId.get(102)!;
    expect(sent).toEqual([{ type: 'replay', items: [{ seq }], keepTiming: true }]);
    expect((await screen.findByRole('status')).textContent).toMatch(/Replayed 1 emit;/);
  });

  it('blocks sending while the edited JSON is invalid', async () => {
    const user = userEvent.setup();
    const { sender } = connectedWithSender();
    render(<ReplayView />);
    await user.click(screen.getByRole('checkbox', { name: 'Select emit #102 inventory.reserve' }));
    await user.click(screen.getByRole('checkbox', { name: 'Edit payload of emit #102' }));
    const editor = screen.getByRole('textbox', { name: 'Payload JSON for emit #102' });

    expect(JSON.parse((editor as HTMLTextAreaElement).value)).toEqual({ sku: 'SKU-9', qty: 3 });

    fireEvent.change(editor, { target: { value: '{ "sku": ' } });
    expect(screen.getByRole('alert').textContent).toMatch(/Invalid JSON/);
    expect(editor.getAttribute('aria-invalid')).toBe('true');
    expect(
      (screen.getByRole('button', { name: 'Send replay' }) as HTMLButtonElement).disabled,
    ).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Send replay' }));
    expect(sender).not.toHaveBeenCalled();
  });

  it('sends an edited payload once it is valid', async () => {
    const user = userEvent.setup();
    const { sent } = connectedWithSender();
    render(<ReplayView />);
    await user.click(screen.getByRole('checkbox', { name: 'Select emit #102 inventory.reserve' }));
    await user.click(screen.getByRole('checkbox', { name: 'Edit payload of emit #102' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Payload JSON for emit #102' }), {
      target: { value: '{ "sku": "SKU-1", "qty": 1 }' },
    });
    await user.click(screen.getByRole('button', { name: 'Send replay' }));

    const { seq } = inspectorStore.getState().data.emits.byId.get(102)!;
    expect(sent).toEqual([
      { type: 'replay', items: [{ seq, payload: { sku: 'SKU-1', qty: 1 } }], keepTiming: false },
    ]);
  });

  it('disables replay when the agent does not allow it', async () => {
    const user = userEvent.setup();
    connectedWithSender();
    inspectorStore.getState().ingest([hello({ replayAllowed: false })]);
    render(<ReplayView />);
    await user.click(screen.getByRole('checkbox', { name: 'Select emit #102 inventory.reserve' }));

    expect(screen.getByRole('note').textContent).toMatch(/does not allow replay/);
    expect(
      (screen.getByRole('button', { name: 'Send replay' }) as HTMLButtonElement).disabled,
    ).toBe(true);
  });

  it('shows the agent error when a replay fails', async () => {
    const user = userEvent.setup();
    const { sender } = connectedWithSender();
    sender.mockRejectedValueOnce(new Error('replay failed (signal_gone): signal 3 is gone'));
    render(<ReplayView />);
    await user.click(screen.getByRole('checkbox', { name: 'Select emit #102 inventory.reserve' }));
    await user.click(screen.getByRole('button', { name: 'Send replay' }));

    expect((await screen.findByRole('alert')).textContent).toMatch(/signal_gone/);
  });

  it('imports an NDJSON export for offline browsing', async () => {
    const user = userEvent.setup();
    loadStore([], { connected: false });
    render(<ReplayView />);
    const { snapshot, messages } = checkoutStream();
    const file = new File([exportNdjson(snapshot, messages)], 'checkout.ndjson');
    await user.upload(screen.getByLabelText('Import recording'), file);

    await waitFor(() => expect(inspectorStore.getState().data.connection.status).toBe('imported'));
    const { data } = inspectorStore.getState();
    expect([...data.emits.byId.keys()]).toEqual([100, 101, 102, 103]);
    expect(data.patterns.runs.get(7)?.status).toBe('rolled_back');
    expect(data.connection.app?.name).toBe('checkout-service');
    expect(screen.getByRole('note').textContent).toMatch(/imported file/);
  });

  it('reports a file that is not an export', async () => {
    const user = userEvent.setup();
    loadStore([], { connected: false });
    render(<ReplayView />);
    await user.upload(
      screen.getByLabelText('Import recording'),
      new File(['{"hello": 1}'], 'x.ndjson'),
    );

    expect((await screen.findByRole('alert')).textContent).toMatch(/not an export header/);
  });

  it('downloads the export', async () => {
    const user = userEvent.setup();
    const { sender } = connectedWithSender();
    sender.mockResolvedValueOnce({ ndjson: '{"type":"sigscope-export"}\n', events: 0 });
    const createObjectURL = vi.fn(() => 'blob:export');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    render(<ReplayView />);
    await user.click(screen.getByRole('button', { name: 'Export recording' }));

    await waitFor(() => expect(click).toHaveBeenCalledOnce());
    expect(sender).toHaveBeenCalledWith({ type: 'export' });
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:export');
    click.mockRestore();
  });
});
