import { useId, useRef, type ReactNode } from 'react';
import { useFormat } from '../format';
import { useCommonText } from './commonText';
import { FieldError, FieldLabel, fieldClass } from './Field';

export interface FileFieldProps {
  label: string;
  name: string;
  accept: string;
  file: File | null;
  onChange: (file: File | null) => void;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
  disabled?: boolean;
}

/** A labelled file picker that shows what was chosen. */
export function FileField({
  label,
  name,
  accept,
  file,
  onChange,
  error,
  hint,
  required,
  disabled,
}: FileFieldProps) {
  const id = useId();
  const text = useCommonText();
  const format = useFormat();
  const input = useRef<HTMLInputElement>(null);
  const describedBy = [
    file !== null ? `${id}-chosen` : null,
    hint !== undefined ? `${id}-hint` : null,
  ]
    .concat(error !== undefined ? `${id}-error` : null)
    .filter(Boolean)
    .join(' ');
  return (
    <div className={fieldClass(error)}>
      <FieldLabel htmlFor={id} label={label} required={required} />
      <input
        ref={input}
        id={id}
        name={name}
        type="file"
        accept={accept}
        disabled={disabled}
        required={required}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy}
        onChange={(event) => {
          onChange(event.target.files?.[0] ?? null);
        }}
      />
      {file !== null && (
        <p className="hint" id={`${id}-chosen`}>
          {text.chosen(file.name, format.bytes(file.size))}
        </p>
      )}
      {hint !== undefined && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}
