import { describe, expect, it } from 'vitest';
import { sanitizeUploadName } from '../../../src-main/host/upload';

describe('sanitizeUploadName', () => {
  const cases: [string | null, string][] = [
    ['clip.mp4', 'clip.mp4'],
    ['my clip (1).mp4', 'my clip _1_.mp4'],
    ['Überraschung – 日本語.mov', 'Überraschung _ 日本語.mov'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\video.mkv', 'video.mkv'],
    ['.hidden.mp4', 'hidden.mp4'],
    ['..', 'upload'],
    ['', 'upload'],
    [null, 'upload'],
    ['???.mp4', 'upload.mp4'],
    ['a\u0000b.mp4', 'a_b.mp4'],
    ['tab\tname.mp4', 'tab_name.mp4'],
    ['x'.repeat(300) + '.mp4', 'x'.repeat(116) + '.mp4'],
  ];
  it.each(cases)('%j → %j', (raw, expected) => expect(sanitizeUploadName(raw)).toBe(expected));
});
