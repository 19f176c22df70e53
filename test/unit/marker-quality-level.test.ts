import { describe, expect, it } from 'vitest';
import {
  assessMarkerLevel,
  QUALITY_THRESHOLDS as T,
  type MarkerNumbers,
} from '../../web/admin/src/components/portrait/markerQuality.js';

/** A marker like the example: 247 tracking, 3543 FREAK, corner error 1.1 px, 150 mm. */
const EXCELLENT: MarkerNumbers = {
  score: 86,
  trackingPoints: 247,
  freakPoints: 3543,
  selfTestFound: true,
  cornerErrorPx: 1.1,
  widthMm: 112.5,
  heightMm: 150,
};

const level = (change: Partial<MarkerNumbers>) =>
  assessMarkerLevel({ ...EXCELLENT, ...change })?.level;

describe('marker quality level', () => {
  it('nothing recorded yet: no verdict', () => {
    expect(
      assessMarkerLevel({
        score: null,
        trackingPoints: null,
        freakPoints: null,
        selfTestFound: null,
        cornerErrorPx: null,
        widthMm: 100,
        heightMm: 150,
      }),
    ).toBeNull();
  });

  it('excellent: every number at or past its excellent threshold, no advice', () => {
    expect(assessMarkerLevel(EXCELLENT)).toEqual({ level: 'excellent', advice: [] });
    expect(
      level({
        score: T.excellentScore,
        trackingPoints: T.excellentTracking,
        freakPoints: T.excellentFreak,
        cornerErrorPx: T.excellentCornerErrorPx,
      }),
    ).toBe('excellent');
    // The self-test found it but measured no corner error: still excellent.
    expect(level({ cornerErrorPx: null })).toBe('excellent');
  });

  it('good: just under an excellent threshold, with advice on what would help', () => {
    expect(level({ score: T.excellentScore - 1 })).toBe('good');
    expect(level({ trackingPoints: T.excellentTracking - 1 })).toBe('good');
    expect(level({ freakPoints: T.excellentFreak - 1 })).toBe('good');
    expect(level({ cornerErrorPx: T.excellentCornerErrorPx + 0.1 })).toBe('good');
    expect(level({ selfTestFound: null, cornerErrorPx: null })).toBe('good');
    expect(assessMarkerLevel({ ...EXCELLENT, trackingPoints: 120 })?.advice).toEqual([
      'more_texture',
    ]);
    expect(assessMarkerLevel({ ...EXCELLENT, cornerErrorPx: 3 })?.advice).toEqual([
      'sharper_photo',
    ]);
    // At the poor thresholds themselves it is still good.
    expect(
      level({
        score: T.poorScore,
        trackingPoints: T.poorTracking,
        freakPoints: T.poorFreak,
        cornerErrorPx: T.poorCornerErrorPx,
      }),
    ).toBe('good');
  });

  it('a small print is at best good, and the advice says print larger', () => {
    const small = assessMarkerLevel({ ...EXCELLENT, widthMm: 60, heightMm: T.smallPrintMm - 1 });
    expect(small).toEqual({ level: 'good', advice: ['print_larger'] });
    expect(level({ widthMm: 70, heightMm: T.smallPrintMm })).toBe('excellent');
  });

  it('poor: under any poor threshold, or not found by the self-test', () => {
    expect(assessMarkerLevel({ ...EXCELLENT, score: T.poorScore - 1 })).toEqual({
      level: 'poor',
      advice: ['more_contrast', 'more_texture'],
    });
    expect(assessMarkerLevel({ ...EXCELLENT, trackingPoints: T.poorTracking - 1 })).toEqual({
      level: 'poor',
      advice: ['more_texture'],
    });
    expect(level({ freakPoints: T.poorFreak - 1 })).toBe('poor');
    expect(assessMarkerLevel({ ...EXCELLENT, selfTestFound: false })).toEqual({
      level: 'poor',
      advice: ['sharper_photo'],
    });
    expect(level({ cornerErrorPx: T.poorCornerErrorPx + 0.1 })).toBe('poor');
    expect(
      assessMarkerLevel({ ...EXCELLENT, trackingPoints: 30, widthMm: 50, heightMm: 70 })?.advice,
    ).toEqual(['more_texture', 'print_larger']);
  });
});
