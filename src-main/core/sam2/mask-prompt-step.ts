// A mask given as a prompt (spec 5.7, official predictor): the mask itself is the output, no
// memory attention. The object pointer comes from the decoder run on the raw features with the
// downsampled mask as dense prompt (token 0), gated by whether the mask is empty.
import type { Sam2Core } from './engine-core';
import { fillHoles } from './hole-fill';
import { summarizeMask } from './low-res-rle';
import { maskDownsample, maskIsEmpty, maskPromptLowRes } from './mask-prompt';
import type { FrameOut } from './object-state';
import { decoderPoints } from './points';

/** m: the prompt as 0/1 float at S×S. */
export async function runMaskPromptStep(core: Sam2Core, frame: number, m: Float32Array): Promise<FrameOut> {
  const f = await core.features(frame);
  const S = core.m.imageSize;
  const C = core.m.hiddenDim;
  const { L } = core;
  const lowRes = maskPromptLowRes(m, S, L);
  const pts = decoderPoints(null);
  const d = await core.graphs.maskDecoder({
    imageEmbed: f.visionFeat,
    featS0: f.featS0,
    featS1: f.featS1,
    coords: pts.coords,
    labels: pts.labels,
    maskInput: maskDownsample(m, S, core.p.maskDownsampleWeight, core.p.maskDownsampleBias),
    hasMask: new Float32Array([1]),
    batch: 1,
    numPoints: pts.labels.length,
  });
  const appearing = !maskIsEmpty(m);
  const pred = core.fillHoleArea > 0 ? fillHoles(lowRes, L, L, core.fillHoleArea) : lowRes;
  return {
    // multimask is off on this path: token 0's pointer, already gated by the decoder's own score
    objPtr: appearing ? d.pointers.slice(0, C) : core.p.noObjectPointer.slice(),
    score: appearing ? 10 : -10,
    iou: 1,
    summary: summarizeMask(pred),
    predMasks: pred,
    maskmem: null,
    memFromPrompt: true,
  };
}
