import { useCommonText } from './commonText';

export function Loading({ what }: { what?: string }) {
  const text = useCommonText();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {what ?? text.loading}…
    </p>
  );
}
