// A hardware encoder that the browser takes back midway, for tests of the fallback: where the browser
// has no hardware H.264 encoder, its software one stands in, reported as hardware, and after a given
// number of frames it is closed and its error callback told, as Chromium does when it reclaims a codec
// (QuotaExceededError).
import { webCodecsEncoder, type EncoderApi } from './encoder';

export function reclaimedAfter(frames: number): EncoderApi {
  const standIn = (config: VideoEncoderConfig): VideoEncoderConfig => ({ ...config, hardwareAcceleration: 'no-preference' });
  return {
    isConfigSupported: (config) => webCodecsEncoder.isConfigSupported(standIn(config)),
    create: (init) => {
      let encoded = 0;
      const encoder = new VideoEncoder(init);
      const configure = encoder.configure.bind(encoder);
      const encode = encoder.encode.bind(encoder);
      encoder.configure = (config) => configure(standIn(config));
      encoder.encode = (frame, options) => {
        if (++encoded === frames + 1) {
          encoder.close();
          init.error(new DOMException('Codec reclaimed due to inactivity.', 'QuotaExceededError'));
        }
        encode(frame, options);
      };
      return encoder;
    },
  };
}
