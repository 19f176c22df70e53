import { useEffect, useRef, useState } from 'react';
import type { Upload, UploadProgress } from '../api';

export interface UploadHandlers<T> {
  /** The server accepted the upload. */
  done: (result: T) => void;
  /** The user cancelled the upload. */
  cancelled: () => void;
  /** The upload failed (network, server refusal). */
  failed: (reason: unknown) => void;
}

/**
 * One upload at a time with its progress (bytes sent); it can be cancelled, and is aborted when
 * the component goes away.
 */
export function useUpload() {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const upload = useRef<Upload<unknown> | null>(null);

  useEffect(
    () => () => {
      upload.current?.abort();
    },
    [],
  );

  const start = async <T>(
    total: number,
    begin: (onProgress: (progress: UploadProgress) => void) => Upload<T>,
    { done, cancelled, failed }: UploadHandlers<T>,
  ) => {
    setProgress({ loaded: 0, total });
    const started = begin(setProgress);
    upload.current = started;
    try {
      done(await started.done);
    } catch (reason) {
      if (reason instanceof DOMException && reason.name === 'AbortError') cancelled();
      else failed(reason);
    } finally {
      upload.current = null;
      setProgress(null);
    }
  };

  const cancel = () => {
    upload.current?.abort();
  };

  return { progress, start, cancel };
}
