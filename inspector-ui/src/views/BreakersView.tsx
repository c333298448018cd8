/** Each circuit breaker: current state, counters, settings, state history with reasons, recent calls. */
import { formatTime } from '../components/EmitDetail.js';
import { errorSummary } from '../components/ErrorView.js';
import { countOf, formatClockDuration, formatDuration } from '../store/listener-stats.js';
import type { BreakerCall, BreakerRecord } from '../store/model.js';
import { selectPatterns } from '../store/selectors.js';
import { useInspector } from '../store/store.js';

const outcomeTitles: Readonly<Record<BreakerCall['outcome'], string>> = {
  success: 'The call succeeded',
  failure: 'The call threw or rejected',
  timeout: 'The call ran past the call timeout',
  rejected: 'The open circuit rejected the call without running it',
  cancelled: "The caller's signal aborted while the call ran; the breaker state did not change",
};

function Breaker({ breaker }: { breaker: BreakerRecord }) {
  const { counters, settings } = breaker;
  return (
    <section className={`breaker breaker-${breaker.state}`} aria-label={breaker.name}>
      <h3>
        {breaker.name}{' '}
        <span className={`state-badge state-${breaker.state}`}>
          <span className="visually-hidden">State: </span>
          {breaker.state}
        </span>
      </h3>
      <dl className="counters" aria-label={`Counters of ${breaker.name}`}>
        <dt>calls</dt>
        <dd>{counters.calls}</dd>
        <dt>successes</dt>
        <dd>{counters.successes}</dd>
        <dt>failures</dt>
        <dd>{counters.failures}</dd>
        <dt>timeouts</dt>
        <dd>{counters.timeouts}</dd>
        <dt>rejections</dt>
        <dd>{counters.rejections}</dd>
      </dl>
      {settings ? (
        <p className="muted">
          opens after {countOf(settings.failureThreshold, 'failure')}, recovers after{' '}
          {formatDuration(settings.recoveryTimeoutMs)}, closes after{' '}
          {countOf(settings.successThreshold, 'success', 'successes')},{' '}
          {countOf(settings.halfOpenMaxCalls, 'trial call')}
          {settings.callTimeoutMs === undefined
            ? ''
            : `, call timeout ${formatDuration(settings.callTimeoutMs)}`}
        </p>
      ) : null}

      <h4>State history</h4>
      {breaker.history.length === 0 ? (
        <p className="muted">No state changes recorded.</p>
      ) : (
        <table aria-label={`State history of ${breaker.name}`}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Reason</th>
              <th scope="col" title="Failures counted since the breaker was created">
                Total failures
              </th>
            </tr>
          </thead>
          <tbody>
            {breaker.history.map((entry) => (
              <tr key={entry.seq}>
                <td>{formatTime(entry.ts)}</td>
                <td>{entry.from}</td>
                <td>
                  <span className={`state-badge state-${entry.to}`}>{entry.to}</span>
                </td>
                <td>{entry.reason}</td>
                <td>{entry.counters.failures}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h4>Recent calls</h4>
      {breaker.recentCalls.length === 0 ? (
        <p className="muted">No calls recorded.</p>
      ) : (
        <table aria-label={`Recent calls of ${breaker.name}`}>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Outcome</th>
              <th scope="col">State</th>
              <th scope="col">Duration</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {[...breaker.recentCalls].reverse().map((call) => (
              <tr key={call.seq}>
                <td>{formatTime(call.ts)}</td>
                <td>
                  <span
                    className={`status-badge status-${call.outcome}`}
                    title={outcomeTitles[call.outcome]}
                  >
                    {call.outcome}
                  </span>
                </td>
                <td>{call.state}</td>
                <td>{formatClockDuration(call.durationMs)}</td>
                <td>{errorSummary(call.error)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function BreakersView() {
  const patterns = useInspector(selectPatterns);
  const breakers = [...patterns.breakers.values()];
  return (
    <section className="breakers-view" aria-label="Breakers">
      {breakers.length === 0 ? (
        <p className="empty">No circuit breakers in this app.</p>
      ) : (
        breakers.map((breaker) => <Breaker key={breaker.breakerId} breaker={breaker} />)
      )}
    </section>
  );
}
