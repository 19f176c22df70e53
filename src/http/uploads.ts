import type { FileFieldSpec } from './multipart-files.js';

/** Where uploads stream to, and the rules of each kind of uploaded file. */
export interface UploadRules {
  tmpDir: string;
  image: FileFieldSpec;
  video: FileFieldSpec;
}
