// How overlays look while reviewing: shown or not (M), opacity, outline-only (Shift+O),
// plus the in/out markers. Look settings survive reloads (localStorage); markers belong to
// the open video and reset with it.
import { NO_MARKERS, markedRange, setMarker, type Markers } from '../lib/markers';

const KEY = 'maskline.review.v1';

interface Saved {
  showOverlays: boolean;
  opacity: number;
  outlineOnly: boolean;
}

function load(): Saved {
  const d: Saved = { showOverlays: true, opacity: 0.5, outlineOnly: false };
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Saved> | null;
    if (!raw) return d;
    return {
      showOverlays: typeof raw.showOverlays === 'boolean' ? raw.showOverlays : d.showOverlays,
      opacity: typeof raw.opacity === 'number' && raw.opacity >= 0 && raw.opacity <= 1 ? raw.opacity : d.opacity,
      outlineOnly: typeof raw.outlineOnly === 'boolean' ? raw.outlineOnly : d.outlineOnly,
    };
  } catch {
    return d;
  }
}

export class ReviewState {
  showOverlays = $state(true);
  opacity = $state(0.5);
  outlineOnly = $state(false);
  markers = $state<Markers>(NO_MARKERS);

  constructor() {
    const s = load();
    this.showOverlays = s.showOverlays;
    this.opacity = s.opacity;
    this.outlineOnly = s.outlineOnly;
  }

  save(): void {
    try {
      localStorage.setItem(KEY, JSON.stringify({ showOverlays: this.showOverlays, opacity: this.opacity, outlineOnly: this.outlineOnly } satisfies Saved));
    } catch {
      // private mode or a full quota: the look just is not remembered
    }
  }

  toggleOverlays(): void {
    this.showOverlays = !this.showOverlays;
    this.save();
  }

  toggleOutline(): void {
    this.outlineOnly = !this.outlineOnly;
    this.save();
  }

  setOpacity(v: number): void {
    this.opacity = Math.min(1, Math.max(0, v));
    this.save();
  }

  setMarker(which: 'in' | 'out', frame: number): void {
    this.markers = setMarker(this.markers, which, frame);
  }

  clearMarkers(): void {
    this.markers = NO_MARKERS;
  }

  range(frames: number): [number, number] {
    return markedRange(this.markers, frames);
  }
}
