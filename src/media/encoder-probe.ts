// How many hardware H.264 encoders this browser opens at once (`--encoders auto`): graphics chips
// allow a few sessions (consumer NVIDIA GPUs a handful per system, shared with other programs), and
// no API says how many. So we open tiny ones, each configured with `prefer-hardware` and made to
// encode one frame, until one fails or the cap is reached, then close them all.
import { webCodecsEncoder, type EncoderApi } from './encoder';

/** No more are ever measured (a job rarely gains from more than a few). */
export const PROBE_CAP = 8;

const PROBE_CONFIG: VideoEncoderConfig = {
  codec: 'avc1.42001f',
  width: 256,
  height: 144,
  bitrate: 200_000,
  framerate: 30,
  hardwareAcceleration: 'prefer-hardware',
  avc: { format: 'avc' },
};

const blankFrame = () => new VideoFrame(new Uint8Array(256 * 144 * 1.5), { format: 'I420', codedWidth: 256, codedHeight: 144, timestamp: 0 });

/** Opens one encoder and has it encode a frame; the encoder when that worked, else null (closed). */
async function openOne(api: EncoderApi, makeFrame: () => VideoFrame): Promise<VideoEncoder | null> {
  let failed = false;
  let chunks = 0;
  const encoder = api.create({ output: () => chunks++, error: () => (failed = true) });
  try {
    encoder.configure(PROBE_CONFIG);
    const frame = makeFrame();
    try {
      encoder.encode(frame, { keyFrame: true });
    } finally {
      frame.close();
    }
    await encoder.flush();
    // An error can arrive just after flush resolves (see FrameEncoder.flush).
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!failed && chunks > 0) return encoder;
  } catch {
    // Refused: this one is past what the chip allows.
  }
  if (encoder.state !== 'closed') encoder.close();
  return null;
}

/** Hardware encoders open at once, 0 to `cap`. */
export async function countHardwareEncoders(api: EncoderApi = webCodecsEncoder, cap = PROBE_CAP, makeFrame: () => VideoFrame = blankFrame): Promise<number> {
  const support = await api.isConfigSupported(PROBE_CONFIG).catch(() => ({ supported: false }));
  if (!support.supported) return 0;
  const open: VideoEncoder[] = [];
  try {
    while (open.length < cap) {
      const encoder = await openOne(api, makeFrame);
      if (!encoder) break;
      open.push(encoder);
    }
    return open.length;
  } finally {
    for (const encoder of open) if (encoder.state !== 'closed') encoder.close();
  }
}
