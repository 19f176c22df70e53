import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { useCommonText } from './commonText';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'>;

export interface TextFieldProps extends InputProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
}

/** A labelled input with its hint and its error (linked for screen readers). */
export function TextField({ label, value, onChange, error, hint, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint !== undefined ? hintId : null, error !== undefined ? errorId : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={fieldClass(error)}>
      <FieldLabel htmlFor={id} label={label} required={input.required} />
      <input
        id={id}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        {...input}
      />
      {hint !== undefined && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      <FieldError id={errorId} error={error} />
    </div>
  );
}

/** The class of a field's wrapper: marked when the field has an error. */
export function fieldClass(error: string | undefined): string {
  return `field${error !== undefined ? ' field-invalid' : ''}`;
}

/** A field's label, with "(required)" shown (not read out: the input says it) when it is. */
export function FieldLabel({
  htmlFor,
  label,
  required,
}: {
  htmlFor: string;
  label: string;
  required?: boolean | undefined;
}) {
  const text = useCommonText();
  return (
    <label htmlFor={htmlFor}>
      {label}
      {required === true && (
        <span className="required" aria-hidden="true">
          {' '}
          {text.required}
        </span>
      )}
    </label>
  );
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (error === undefined) return null;
  return (
    <p className="field-error" id={id}>
      <span aria-hidden="true">✕ </span>
      {error}
    </p>
  );
}

export interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: readonly { value: NoInfer<T>; label: string }[];
  onChange: (value: NoInfer<T>) => void;
  name?: string;
}

export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  name,
}: SelectFieldProps<T>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(event) => {
          const chosen = options.find((option) => option.value === event.target.value);
          if (chosen !== undefined) onChange(chosen.value);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
