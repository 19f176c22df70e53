import type { AnalyticsFunnel } from '../../api';
import { useFormat } from '../../format';
import { useAnalyticsText, type FunnelStep } from './analyticsText';
import { formatPercent } from './percent';

const STEPS: readonly FunnelStep[] = ['opened', 'started', 'found', 'played'];

/** opened → started → found → played: each step's count, its share of the step before, a bar. */
export function FunnelList({ funnel }: { funnel: AnalyticsFunnel }) {
  const text = useAnalyticsText();
  const format = useFormat();
  const percent = (rate: number) => formatPercent(rate, format.locale);
  const widest = Math.max(1, ...STEPS.map((step) => funnel[step]));
  return (
    <section className="funnel" aria-label={text.funnel}>
      <h3>{text.funnel}</h3>
      <ol className="funnel-steps">
        {STEPS.map((step, index) => {
          const rate = step === 'opened' ? undefined : funnel.rates[step];
          return (
            <li key={step} className="funnel-step" data-step={step}>
              <span className="funnel-label">{text.funnelSteps[step]}</span>
              <span className="funnel-count">{format.number(funnel[step])}</span>
              <span className="funnel-bar" aria-hidden="true">
                <span style={{ width: `${(funnel[step] / widest) * 100}%` }} />
              </span>
              {index > 0 && (
                <span className="funnel-rate" data-rate={rate ?? ''}>
                  {rate === null || rate === undefined
                    ? text.nobodyBefore
                    : text.ofPrevious(percent(rate))}
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {funnel.rates.overall !== null && (
        <p className="funnel-overall">{text.overall(percent(funnel.rates.overall))}</p>
      )}
      <p className="hint">{text.funnelNote}</p>
    </section>
  );
}
