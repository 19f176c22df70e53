import { useEffect } from 'react';
import { useShellText } from '../components/shell/shellText';

export function useDocumentTitle(title: string): void {
  const { text } = useShellText();
  useEffect(() => {
    document.title = text.documentTitle(title);
  }, [title, text]);
}
