import { useEffect, useState } from 'react';

/** A local preview of a chosen image file (a blob: URL, revoked when no longer shown). */
export function ImagePreview({ file, alt }: { file: File | null; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);
  useEffect(() => {
    if (file === null || !file.type.startsWith('image/')) {
      setUrl(null);
      return;
    }
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    setBroken(false);
    return () => {
      URL.revokeObjectURL(objectUrl);
    };
  }, [file]);
  // Not every image type previews (HEIC) and a mislabelled file does not decode: show nothing.
  if (url === null || broken) return null;
  return (
    <img
      className="preview"
      src={url}
      alt={alt}
      onError={() => {
        setBroken(true);
      }}
    />
  );
}
