import { useId, useState, type SyntheticEvent } from 'react';
import { useAnalyticsText } from './analyticsText';
import {
  isValidRange,
  PRESETS,
  utcDayFromToday,
  type Granularity,
  type RangeChoice,
} from './range';

/** A row of radio buttons that looks like a segmented control. */
function Segmented<T extends string>({
  legend,
  value,
  options,
  onChange,
}: {
  legend: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend>{legend}</legend>
      <div className="segmented-options">
        {options.map((option) => (
          <label key={option.value} className="segmented-option">
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => {
                onChange(option.value);
              }}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The period (7/30/90 days or two dates) and the bars (per day or per week). */
export function RangePicker({
  range,
  onRange,
  granularity,
  onGranularity,
}: {
  range: RangeChoice;
  onRange: (range: RangeChoice) => void;
  granularity: Granularity;
  onGranularity: (granularity: Granularity) => void;
}) {
  const text = useAnalyticsText();
  const formId = useId();
  const [custom, setCustom] = useState(() => ({
    from: range.preset === 'custom' ? range.from : utcDayFromToday(-29),
    to: range.preset === 'custom' ? range.to : utcDayFromToday(0),
  }));
  const [choosing, setChoosing] = useState(range.preset === 'custom');
  const valid = isValidRange(custom.from, custom.to);
  const presets = [
    ...PRESETS.map((value) => ({ value, label: text.lastDays(Number(value)) })),
    { value: 'custom' as const, label: text.custom },
  ];

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (valid) onRange({ preset: 'custom', ...custom });
  };

  return (
    <div className="analytics-controls">
      <Segmented
        legend={text.period}
        value={choosing ? 'custom' : range.preset}
        options={presets}
        onChange={(value) => {
          if (value === 'custom') {
            setChoosing(true);
            return;
          }
          setChoosing(false);
          onRange({ preset: value });
        }}
      />
      <Segmented
        legend={text.bars}
        value={granularity}
        options={[
          { value: 'day', label: text.byDay },
          { value: 'week', label: text.byWeek },
        ]}
        onChange={onGranularity}
      />
      {choosing && (
        <form className="analytics-dates" onSubmit={submit} aria-label={text.custom}>
          <div className="field">
            <label htmlFor={`${formId}-from`}>{text.from}</label>
            <input
              id={`${formId}-from`}
              type="date"
              value={custom.from}
              max={custom.to}
              required
              aria-invalid={!valid}
              onChange={(event) => {
                setCustom({ ...custom, from: event.target.value });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`${formId}-to`}>{text.to}</label>
            <input
              id={`${formId}-to`}
              type="date"
              value={custom.to}
              min={custom.from}
              required
              aria-invalid={!valid}
              onChange={(event) => {
                setCustom({ ...custom, to: event.target.value });
              }}
            />
          </div>
          <button type="submit" className="button" disabled={!valid}>
            {text.show}
          </button>
          {!valid && <p className="field-error">{text.rangeProblem}</p>}
        </form>
      )}
    </div>
  );
}
