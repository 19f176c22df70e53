import { api } from '../api';
import { isProcessing } from '../portraitStatus';
import { usePolling } from './usePolling';
import { useResource } from './useResource';

/** A portrait's detail, polled every 2 s while anything of it is processing. */
export function usePortrait(portraitId: string | undefined) {
  const portrait = useResource(
    (signal) =>
      portraitId === undefined ? Promise.resolve(undefined) : api.getPortrait(portraitId, signal),
    [portraitId],
  );
  usePolling(portrait.reload, 2000, portrait.data !== undefined && isProcessing(portrait.data));
  return portrait;
}
