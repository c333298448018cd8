/** Each saga run: steps with every attempt, rollbacks in the order they ran, final status. */
import { useEffect, useState } from 'react';
import { CapturedValueView } from '../components/CapturedValueView.js';
import { formatTime } from '../components/EmitDetail.js';
import { ErrorView, errorSummary } from '../components/ErrorView.js';
import { countOf, formatClockDuration, formatDuration } from '../store/listener-stats.js';
import type { SagaAttempt, SagaRunRecord } from '../store/model.js';
import { visibleRuns } from '../store/run-lists.js';
import { selectLinkedRunId, selectPatterns } from '../store/selectors.js';
import { useInspector } from '../store/store.js';

/** Runs rendered, newest first. */
const MAX_RUNS_SHOWN = 200;

const stepAnchor = (run: SagaRunRecord, index: number) => `saga-run-${run.runId}-step-${index}`;

function describeAttempt(attempt: SagaAttempt): string {
  const took =
    attempt.durationMs === undefined ? '' : ` in ${formatClockDuration(attempt.durationMs)}`;
  switch (attempt.outcome) {
    case 'running':
      return `attempt ${attempt.attempt}: running`;
    case 'completed':
      return `attempt ${attempt.attempt}: completed${took}`;
    case 'failed':
      return `attempt ${attempt.attempt}: failed${took}`;
    case 'retry':
      return `attempt ${attempt.attempt}: failed${took}, retry after ${formatDuration(attempt.retryDelayMs)}`;
  }
}

/** The element id of a run's list item, which a timeline link scrolls to. */
export const runAnchor = (runId: number) => `saga-run-${runId}`;

function SagaRun({ run, linked }: { run: SagaRunRecord; linked: boolean }) {
  const label = `${run.name} run #${run.runId}`;
  return (
    <li
      className={`saga-run saga-${run.status}${linked ? ' is-linked' : ''}`}
      aria-label={label}
      id={runAnchor(run.runId)}
      tabIndex={-1}
    >
      <h3>
        {run.name} <span className="muted">run #{run.runId}</span>{' '}
        <span className={`status-badge status-${run.status}`}>
          <span className="visually-hidden">Final status: </span>
          {run.status}
        </span>
      </h3>
      <p className="muted">
        started {formatTime(run.startedAt)} · took {formatClockDuration(run.durationMs)}
      </p>
      {run.error ? <ErrorView error={run.error} label={`Error of ${label}`} /> : null}
      <details>
        <summary>Saga data</summary>
        <CapturedValueView value={run.data} label={`Data of ${label}`} />
      </details>

      <table aria-label={`Steps of ${label}`}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Step</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
          </tr>
        </thead>
        <tbody>
          {run.steps.map((step) => (
            <tr key={step.index} id={stepAnchor(run, step.index)}>
              <td>{step.index + 1}</td>
              <td>{step.name}</td>
              <td>
                <span className={`status-badge status-${step.status}`}>{step.status}</span>
              </td>
              <td>
                <ol className="attempts" aria-label={`Attempts of step ${step.name}`}>
                  {step.attempts.map((attempt) => (
                    <li key={attempt.attempt}>
                      {describeAttempt(attempt)}
                      {attempt.error ? (
                        <span className="error-text"> — {errorSummary(attempt.error)}</span>
                      ) : null}
                    </li>
                  ))}
                </ol>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {run.rollbacks.length > 0 ? (
        <>
          <h4>Rollbacks, in the order they ran</h4>
          <ol className="rollbacks" aria-label={`Rollbacks of ${label}`}>
            {run.rollbacks.map((rollback) => (
              <li
                key={`${rollback.stepIndex}:${rollback.startedAt}`}
                className={`rollback-${rollback.status}`}
              >
                undo{' '}
                <a href={`#${stepAnchor(run, rollback.stepIndex)}`}>
                  step {rollback.stepIndex + 1} {rollback.step}
                </a>
                :{' '}
                <span className={`status-badge status-${rollback.status}`}>{rollback.status}</span>{' '}
                {formatClockDuration(rollback.durationMs)}
                {rollback.error ? (
                  <span className="error-text"> — {errorSummary(rollback.error)}</span>
                ) : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </li>
  );
}

export function SagasView() {
  const patterns = useInspector(selectPatterns);
  const linkedRunId = useInspector(selectLinkedRunId);
  const [problemsOnly, setProblemsOnly] = useState(false);
  const runs = visibleRuns(patterns.runs.values(), {
    problemsOnly,
    limit: MAX_RUNS_SHOWN,
    linkedRunId,
  });

  // A timeline link names a run: bring it into view once, and move the focus to it.
  useEffect(() => {
    if (linkedRunId === undefined) return;
    const item = document.getElementById(runAnchor(linkedRunId));
    item?.scrollIntoView?.({ block: 'start' });
    item?.focus();
  }, [linkedRunId]);

  return (
    <section className="sagas-view" aria-label="Sagas">
      <div className="list-filters">
        <label title="Runs that are rolling back, rolled back or failed">
          <input
            type="checkbox"
            checked={problemsOnly}
            onChange={(event) => setProblemsOnly(event.target.checked)}
          />{' '}
          Rolled back or failed only
        </label>
      </div>
      {patterns.sagas.size > 0 ? (
        <p className="muted">
          Sagas:{' '}
          {[...patterns.sagas.values()]
            .map((saga) => `${saga.name} (${countOf(saga.steps.length, 'step')})`)
            .join(', ')}
        </p>
      ) : null}
      {runs.length === 0 ? (
        <p className="empty">
          {problemsOnly ? 'No rolled back or failed runs.' : 'No saga runs recorded yet.'}
        </p>
      ) : (
        <ul className="saga-runs" aria-label="Saga runs">
          {runs.map((run) => (
            <SagaRun key={run.runId} run={run} linked={run.runId === linkedRunId} />
          ))}
        </ul>
      )}
    </section>
  );
}
