import { useEffect, useId, useRef, useState } from 'react';
import { useDebounced } from '../../hooks/useDebounced';
import type { Locale } from '../../i18n';
import { SelectField, TextField } from '../Field';
import type { AuditText } from './auditText';
import { actionLabel, actionsOf, AUDIT_AREAS, AUDIT_ENTITIES } from './auditVocabulary';

export const FILTER_KEYS = ['actor', 'action', 'entityType', 'entityId', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
/** The filters as the URL keeps them; `from`/`to` are `datetime-local` values (local time). */
export type AuditFilterValues = Readonly<Record<FilterKey, string>>;

interface Props {
  values: AuditFilterValues;
  onChange: (changes: Partial<Record<FilterKey, string>>) => void;
  text: AuditText;
  locale: Locale;
}

/** A text filter that applies once typing pauses (one request, not one per key). */
function TypedFilter({
  label,
  hint,
  name,
  value,
  onSettled,
}: {
  label: string;
  hint?: string;
  name: FilterKey;
  value: string;
  onSettled: (value: string) => void;
}) {
  const [typed, setTyped] = useState(value);
  const settled = useDebounced(typed.trim(), 400);
  // What applies now; changed from outside too (Clear filters, the back button).
  const applied = useRef(value);
  const apply = useRef(onSettled);
  apply.current = onSettled;
  useEffect(() => {
    applied.current = value;
    setTyped(value);
  }, [value]);
  // Only a newly settled text applies: a stale one must not undo an outside change.
  useEffect(() => {
    if (settled === applied.current) return;
    applied.current = settled;
    apply.current(settled);
  }, [settled]);
  return (
    <TextField
      label={label}
      name={name}
      type="search"
      value={typed}
      onChange={setTyped}
      autoComplete="off"
      {...(hint === undefined ? {} : { placeholder: hint })}
    />
  );
}

/** Actions grouped by area; each area can also be chosen whole (`auth.*`). */
function ActionSelect({
  value,
  onChange,
  text,
  locale,
}: {
  value: string;
  onChange: (value: string) => void;
  text: AuditText;
  locale: Locale;
}) {
  const id = useId();
  const known =
    value === '' ||
    Object.keys(AUDIT_AREAS).some(
      (area) => value === `${area}.*` || actionsOf(area).includes(value),
    );
  return (
    <div className="field">
      <label htmlFor={id}>{text.action}</label>
      <select
        id={id}
        name="action"
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      >
        <option value="">{text.allActions}</option>
        {!known && <option value={value}>{value}</option>}
        {Object.entries(AUDIT_AREAS).map(([area, name]) => (
          <optgroup key={area} label={name[locale]}>
            <option value={`${area}.*`}>{text.allOfArea(name[locale])}</option>
            {actionsOf(area).map((action) => (
              <option key={action} value={action}>
                {actionLabel(action, locale)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** Who, what, on what, when: the filters of the audit log, kept in the URL by the page. */
export function AuditFilters({ values, onChange, text, locale }: Props) {
  const entityOptions = [
    { value: '', label: text.anyEntity },
    ...Object.entries(AUDIT_ENTITIES).map(([value, label]) => ({ value, label: label[locale] })),
  ];
  if (!entityOptions.some((option) => option.value === values.entityType)) {
    entityOptions.push({ value: values.entityType, label: values.entityType });
  }
  const anySet = FILTER_KEYS.some((key) => values[key] !== '');
  return (
    <form
      className="filters"
      role="search"
      aria-label={text.filters}
      onSubmit={(event) => {
        event.preventDefault();
      }}
    >
      <TypedFilter
        label={text.actor}
        hint={text.actorHint}
        name="actor"
        value={values.actor}
        onSettled={(actor) => {
          onChange({ actor });
        }}
      />
      <ActionSelect
        value={values.action}
        onChange={(action) => {
          onChange({ action });
        }}
        text={text}
        locale={locale}
      />
      <SelectField
        label={text.entityType}
        name="entityType"
        value={values.entityType}
        options={entityOptions}
        onChange={(entityType) => {
          onChange({ entityType });
        }}
      />
      <TypedFilter
        label={text.entityId}
        name="entityId"
        value={values.entityId}
        onSettled={(entityId) => {
          onChange({ entityId });
        }}
      />
      <TextField
        label={text.from}
        name="from"
        type="datetime-local"
        value={values.from}
        onChange={(from) => {
          onChange({ from });
        }}
      />
      <TextField
        label={text.to}
        name="to"
        type="datetime-local"
        value={values.to}
        onChange={(to) => {
          onChange({ to });
        }}
      />
      {anySet && (
        <button
          type="button"
          className="button"
          onClick={() => {
            onChange(Object.fromEntries(FILTER_KEYS.map((key) => [key, ''])));
          }}
        >
          {text.clear}
        </button>
      )}
    </form>
  );
}
