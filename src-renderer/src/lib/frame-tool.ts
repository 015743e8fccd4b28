// What the frame canvas forwards pointer input to: the prompt tool (points, boxes) or, while
// the Segment everything panel is open, the proposal picker. Types only.
import type { PressInfo } from './gesture';

export interface FrameTool {
  /** a left or right press at screen (sx, sy), video pixel `image` */
  press(p: PressInfo, sx: number, sy: number, image: [number, number]): void;
  /** the pressed pointer moved; 'pan' hands the rest of the press to panning */
  move(sx: number, sy: number, image: [number, number]): 'pan' | null;
  release(sx: number, sy: number, image: [number, number]): void;
  cancelPress(): void;
  /** the pointer moved over the frame with no press (null: it left the frame) */
  hover?(image: [number, number] | null): void;
  /** Ctrl/Cmd+wheel over the frame (e.g. brush size); false: the wheel zooms as usual */
  wheel?(deltaY: number): boolean;
}
