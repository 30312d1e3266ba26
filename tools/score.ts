// `npm run score -- TRACKS.json TRUTH.csv [--json]`: how well a tracks file frames ground-truth faces
// (DarkLabel CSV: frame,label,id,x1,y1,x2,y2,flag).
// `npm run score -- --speech TRACKS.json TRUTH.rttm [--map SPEAKER=0,SPEAKER=1 | --faces BOXES.csv] [--json]`: who is
// speaking against RTTM truth (see speech-scoring.ts).
// `npm run score -- --passes A.tracks.json B.tracks.json [--json]`: how two tracks files of one video
// (one pass and two passes) agree: frames with two crops in each, frames framed the same.
// `npm run score -- --stills FILE.xml [--json]`: detection recall of the app's face detector on images
// with hand-drawn boxes (dlib imglab XML; images beside the XML file), in headless Chromium.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { comparePasses, parseDarkLabelCsv, parseDlibXml, scoreDetections, scoreFraming, type FramingScore, type RecallScore } from './scoring';
import { tracksFileProblem, type TracksFile } from '../src/framing/tracks-file';
import { callTool, openAutomationSession } from './session';
import { messageOf } from '../src/core/errors';
import { matchSpeakersByFaces, parseMapping, parseRttm, scoreSpeech, type SpeechScore } from './speech-scoring';

export function speechReport(score: SpeechScore): string {
  const mapped =
    Object.entries(score.mapping)
      .map(([speaker, panel]) => `${speaker} → panel ${panel}`)
      .join(', ') || 'none';
  return [
    `speakers: ${mapped}`,
    `where one person on screen speaks (${score.singleSpeakerSeconds.toFixed(1)} s): their panel marked ${percent(score.right)}, the other panel ${percent(score.wrong)}`,
    `where only someone off screen speaks (${score.offScreenSeconds.toFixed(1)} s): given to a panel ${percent(score.offScreenGiven)}`,
    `diarization error rate: ${percent(score.der)}`,
  ].join('\n');
}

function readTracks(path: string): TracksFile {
  const tracks = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const problem = tracksFileProblem(tracks);
  if (problem) throw new Error(`${path}: not a tracks file: ${problem}`);
  return tracks as TracksFile;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const USAGE = `Usage: npm run score -- TRACKS.json TRUTH.csv [--json]
       npm run score -- --speech TRACKS.json TRUTH.rttm [--map SPEAKER=0,SPEAKER=1 | --faces BOXES.csv] [--json]
       npm run score -- --stills FACES.xml [--json]
       npm run score -- --passes A.tracks.json B.tracks.json [--json]`;

const percent = (v: number) => `${(v * 100).toFixed(2)} %`;

export function framingReport(score: FramingScore): string {
  return [
    `people scored: ${score.people.map((p) => `${p.id} → panel ${p.panel} (${p.frames} frames)`).join(', ')}`,
    `face inside its panel's crop (≥ 90 % of the box): ${percent(score.containment)} of ${score.framesScored} person-frames`,
    `identity swaps: ${score.swaps}`,
    `shots where a person appears but their crop does not show them: ${score.shotsMissed.length === 0 ? 'none' : score.shotsMissed.map((m) => `${m.id} in shot ${m.shot} (${m.contained} of ${m.frames} frames)`).join(', ')}`,
    `median horizontal offset of the face from the crop centre: ${percent(score.medianCentreOffset)} of the crop width`,
    `jitter (mean |second difference| of the crop centre / crop width, cuts left out): ${score.jitter.toExponential(3)}`,
    `  a crop following the ground truth frame by frame: ${score.truthJitter.toExponential(3)}`,
  ].join('\n');
}

async function scoreStills(xmlPath: string): Promise<{ images: (RecallScore & { file: string })[]; total: RecallScore }> {
  const truth = parseDlibXml(readFileSync(xmlPath, 'utf8'));
  const session = await openAutomationSession(join(root, 'dist-tools', 'web'));
  try {
    const images: (RecallScore & { file: string })[] = [];
    for (const [file, boxes] of truth) {
      const url = session.server.addInput(join(dirname(resolve(xmlPath)), file));
      const faces = await callTool(session.tab, 'detectFacesAt', url, true);
      images.push({
        file,
        ...scoreDetections(
          boxes,
          faces.map((f) => f.box),
        ),
      });
    }
    const truthBoxes = images.reduce((a, i) => a + i.truthBoxes, 0);
    const found = images.reduce((a, i) => a + i.found, 0);
    return { images, total: { truthBoxes, found, recall: truthBoxes ? found / truthBoxes : 1, extra: images.reduce((a, i) => a + i.extra, 0) } };
  } finally {
    await session.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  if (args[0] === '--stills' && args[1]) {
    const result = await scoreStills(args[1]);
    if (json) console.log(JSON.stringify(result, null, 2));
    else {
      for (const i of result.images) console.log(`${i.file}: ${i.found}/${i.truthBoxes} faces found, ${i.extra} extra`);
      console.log(
        `recall ${percent(result.total.recall)} (${result.total.found}/${result.total.truthBoxes}), ${result.total.extra} detections matching no box`,
      );
    }
    return 0;
  }
  if (args[0] === '--speech' && args[1] && args[2]) {
    const mapAt = args.indexOf('--map');
    const facesAt = args.indexOf('--faces');
    const tracks = readTracks(args[1]);
    if (!tracks.speech) throw new Error(`${args[1]}: the tracks file has no "speech" (make it with --speech)`);
    const truth = parseRttm(readFileSync(args[2], 'utf8'));
    const mapping =
      mapAt > 0
        ? parseMapping(args[mapAt + 1] ?? '')
        : facesAt > 0
          ? matchSpeakersByFaces(tracks.frames, truth, parseDarkLabelCsv(readFileSync(args[facesAt + 1] ?? '', 'utf8')))
          : undefined;
    const score = scoreSpeech(tracks.speech, truth, mapping);
    console.log(json ? JSON.stringify(score, null, 2) : speechReport(score));
    return 0;
  }
  if (args[0] === '--passes' && args[1] && args[2]) {
    const agreement = comparePasses(readTracks(args[1]), readTracks(args[2]));
    const share = (n: number) => `${n} (${percent(n / Math.max(1, agreement.frames))})`;
    console.log(
      json
        ? JSON.stringify(agreement, null, 2)
        : `${agreement.frames} frames: two crops in ${share(agreement.twoCrops[0])} and ${share(agreement.twoCrops[1])}; the same framing in ${share(agreement.same)}`,
    );
    return 0;
  }
  if (args.length !== 2 || args.some((a) => a.startsWith('-'))) {
    console.error(USAGE);
    return 2;
  }
  const [tracksPath, truthPath] = args as [string, string];
  const tracks = JSON.parse(readFileSync(tracksPath, 'utf8')) as unknown;
  const problem = tracksFileProblem(tracks);
  if (problem) {
    console.error(`${tracksPath}: not a tracks file: ${problem}`);
    return 1;
  }
  const score = scoreFraming(tracks as TracksFile, parseDarkLabelCsv(readFileSync(truthPath, 'utf8')));
  console.log(json ? JSON.stringify(score, null, 2) : framingReport(score));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(messageOf(error));
    process.exit(1);
  },
);
