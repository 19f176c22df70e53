/**
 * How well phones will recognise a print, as a level a person understands (issue 12):
 * excellent, good or poor, with what to do about it. Derived from the numbers the marker job
 * records (src/infra/markers/marker-quality.ts, docs/markers.md): the 0–100 score (which also
 * weighs contrast, sharpness and repetition of the photo), the feature counts, the self-test in
 * simulated camera frames and its corner error, and the print size.
 *
 * Pure and self-contained (no imports): the unit test (test/unit/marker-quality-level.test.ts)
 * compiles it under Node.
 */

export type QualityLevel = 'excellent' | 'good' | 'poor';

/** Advice in plain words; the words themselves are in portraitText.ts. */
export type QualityAdvice = 'more_texture' | 'more_contrast' | 'sharper_photo' | 'print_larger';

/** The marker's numbers as the API gives them (`PortraitDetail.marker`). */
export interface MarkerNumbers {
  score: number | null;
  trackingPoints: number | null;
  freakPoints: number | null;
  selfTestFound: boolean | null;
  cornerErrorPx: number | null;
  widthMm: number | null;
  heightMm: number | null;
}

export interface QualityVerdict {
  level: QualityLevel;
  advice: QualityAdvice[];
}

/**
 * The thresholds. "Poor" matches where the marker job starts giving advice (fewer than 60
 * tracking or 300 recognition points, a corner error above 3.5 px where its self-test score
 * drops below one half, a score under 40); "excellent" where every part of its score is full
 * (150 tracking, 1500 recognition points, a corner error of 2 px or less) and the score is 75+.
 */
export const QUALITY_THRESHOLDS = {
  poorScore: 40,
  excellentScore: 75,
  poorTracking: 60,
  excellentTracking: 150,
  poorFreak: 300,
  excellentFreak: 1500,
  poorCornerErrorPx: 3.5,
  excellentCornerErrorPx: 2,
  /** A print whose long side is shorter than this is hard to find from arm's length. */
  smallPrintMm: 100,
} as const;

const T = QUALITY_THRESHOLDS;

/** Null when there is nothing to judge yet (no number recorded). */
export function assessMarkerLevel(marker: MarkerNumbers): QualityVerdict | null {
  const { score, trackingPoints, freakPoints, selfTestFound, cornerErrorPx } = marker;
  if (score === null && trackingPoints === null && freakPoints === null && selfTestFound === null) {
    return null;
  }
  const advice = new Set<QualityAdvice>();

  const fewFeatures =
    (trackingPoints !== null && trackingPoints < T.poorTracking) ||
    (freakPoints !== null && freakPoints < T.poorFreak);
  const lowScore = score !== null && score < T.poorScore;
  const notFound = selfTestFound === false;
  const shaky = cornerErrorPx !== null && cornerErrorPx > T.poorCornerErrorPx;
  if (fewFeatures) advice.add('more_texture');
  if (lowScore) {
    advice.add('more_contrast');
    advice.add('more_texture');
  }
  if (notFound || shaky) advice.add('sharper_photo');

  const longSide = Math.max(marker.widthMm ?? 0, marker.heightMm ?? 0);
  const smallPrint = longSide > 0 && longSide < T.smallPrintMm;
  if (smallPrint) advice.add('print_larger');

  if (fewFeatures || lowScore || notFound || shaky) return { level: 'poor', advice: [...advice] };

  const excellent =
    score !== null &&
    score >= T.excellentScore &&
    trackingPoints !== null &&
    trackingPoints >= T.excellentTracking &&
    freakPoints !== null &&
    freakPoints >= T.excellentFreak &&
    selfTestFound === true &&
    (cornerErrorPx === null || cornerErrorPx <= T.excellentCornerErrorPx) &&
    !smallPrint;
  if (excellent) return { level: 'excellent', advice: [] };

  // Good: say what would make it better, if the numbers tell.
  const midFeatures =
    (trackingPoints !== null && trackingPoints < T.excellentTracking) ||
    (freakPoints !== null && freakPoints < T.excellentFreak);
  if (midFeatures || (score !== null && score < T.excellentScore)) advice.add('more_texture');
  if (cornerErrorPx !== null && cornerErrorPx > T.excellentCornerErrorPx) {
    advice.add('sharper_photo');
  }
  return { level: 'good', advice: [...advice] };
}
