// The playhead: current frame, play/pause at the video's rate, stepping and jumps. The
// clock decides the frame during playback (timecode.playbackFrame), so slow frame loads
// skip frames rather than slow the video down.
import { Disposers, type Release } from '../lib/disposers';
import { clampFrame, playbackFrame } from '../lib/timecode';

export class PlayerState {
  frames = $state(0);
  fps = $state(25);
  current = $state(0);
  playing = $state(false);

  /** the next playback tick's animation frame */
  #frame: Release | null = null;
  #frames = new Disposers();
  #startFrame = 0;
  #startMs = 0;

  /** A new video: keep the frame if it still exists, stop playback. */
  load(frames: number, fps: number): void {
    const rate = fps > 0 && Number.isFinite(fps) ? fps : 25;
    if (frames === this.frames && rate === this.fps) return;
    this.pause();
    this.frames = Math.max(0, frames);
    this.fps = rate;
    this.current = clampFrame(this.current, this.frames);
  }

  reset(): void {
    this.pause();
    this.frames = 0;
    this.current = 0;
  }

  seek(frame: number): void {
    const f = clampFrame(frame, this.frames);
    if (this.playing) {
      this.#startFrame = f;
      this.#startMs = performance.now();
    }
    this.current = f;
  }

  /** Stepping is a precise action: it pauses playback first. */
  step(by: number): void {
    this.pause();
    this.seek(this.current + by);
  }

  home(): void {
    this.pause();
    this.seek(0);
  }

  end(): void {
    this.pause();
    this.seek(this.frames - 1);
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.playing || this.frames <= 1) return;
    if (this.current >= this.frames - 1) this.current = 0;
    this.playing = true;
    this.#startFrame = this.current;
    this.#startMs = performance.now();
    this.#frame = this.#frames.frame(this.#tick);
  }

  pause(): void {
    this.playing = false;
    this.#frame?.();
    this.#frame = null;
  }

  /** Playback stops for good (its animation frame is cancelled). */
  dispose(): void {
    this.pause();
    this.#frames.dispose();
  }

  #tick = (now: number): void => {
    if (!this.playing) return;
    const f = playbackFrame(this.#startFrame, this.#startMs, now, this.fps, this.frames);
    if (f !== this.current) this.current = f;
    if (f >= this.frames - 1) this.pause();
    else this.#frame = this.#frames.frame(this.#tick);
  };
}
