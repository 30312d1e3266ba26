// The framing core: frames, detections and cuts go in; framed frames come out, in order, a window at
// a time. Within a shot a window is planned with a few seconds of look-ahead (enough for the dead
// band, lock-off and the missing-person policy) and a few seconds of the shot behind it, and its start
// is blended from what the window before foresaw for it, so the camera never jumps at a window's edge;
// nothing is smoothed across a cut. Pure.
//
// Two drivers. The one pass gives detections as the analysis finds them and names people after the
// cast (see cast.ts) decided before the first frame; what is held is a few windows' worth, whatever
// the length of the video. The two passes (plan.ts) give the whole video with each sample's panel
// faces already chosen by the identity (see identity.ts), and plan each shot as one window.
import { cropPads, viewForFace, type CropView } from '../geometry/crop';
import { panelAspect, type Layout } from '../geometry/layout';
import type { Rect, Size } from '../geometry/rect';
import { DEFAULT_CAMERA_OPTIONS, shotCameraPath, type CameraOptions } from './camera';
import { CAST_MATCH_DISTANCE, fillPanels, joinCast, memberCost, nameTracklets, type Cast, type TrackletLook } from './cast';
import { addAppearance } from './appearance';
import { addLikeness } from './likeness';
import { DEFAULT_IDENTITY_OPTIONS, linkFaces, type IdentityOptions, type Tracklet } from './identity';
import { framePanels, sightingGaps, type MissingPolicy } from './panels';
import { roundTime, type OverlayFace } from './tracks-file';
import type { DetectionSample, Face, PairAssignment } from './types';
import { SAME_INSTANT } from '../core/timing';

export interface StreamPlanOptions {
  source: Size;
  fps: number;
  output: Size;
  layout: Layout;
  /**
   * Who gets the panels: the cast, after which tracklets are named (people the look missed may join
   * it, see joinCast); or `assigned`, where every sample comes with its panel faces (addSample).
   */
  cast: Cast | 'assigned';
  missingPolicy?: MissingPolicy;
  missingSeconds?: number;
  camera?: CameraOptions;
  identity?: IdentityOptions;
  overlay?: boolean;
  /** Frames planned at a time within a long shot. */
  windowSeconds?: number;
  /** Seconds after a window looked at before it is planned; at least `missingSeconds`. */
  lookaheadSeconds?: number;
  /** Seconds of the shot before a window whose detections still shape it. */
  contextSeconds?: number;
  /** Seconds over which a window's start turns from what the window before foresaw into its own path. */
  blendSeconds?: number;
}

export interface PlannedFrame {
  t: number;
  panels: [Rect | null, Rect | null];
  faces?: OverlayFace[];
}

interface StreamTracklet extends Tracklet {
  id: number;
  count: number;
  xSum: number;
  hSum: number;
  first: number;
  last: number;
  name: number | null;
}

interface LinkedSample {
  t: number;
  faces: { face: Face; tracklet: StreamTracklet }[];
  /** The faces in panel 0 and 1, where the driver chose them (the `assigned` cast). */
  assigned?: PairAssignment;
}

type Views = (CropView | null)[];

export class StreamPlanner {
  private readonly o: Required<Omit<StreamPlanOptions, 'camera' | 'identity' | 'missingPolicy'>> & {
    camera: CameraOptions;
    identity: IdentityOptions;
    missingPolicy: MissingPolicy;
  };
  /** Frame times not yet planned, ascending. */
  private pending: number[] = [];
  /** Planned frames of the current shot still within the context, ascending. */
  private context: number[] = [];
  /** Detections not yet linked (a cut before them may still be found), in time order. */
  private unlinked: { sample: DetectionSample; assigned?: PairAssignment }[] = [];
  /** Linked detections of the current shot within the context and after. */
  private linked: LinkedSample[] = [];
  /** Settled cut times not yet reached by the planning, and by the linking, ascending. */
  private cuts: number[] = [];
  private linkCuts: number[] = [];
  private active: StreamTracklet[] = [];
  private nextTracklet = 0;
  /** Start time of the shot being planned. */
  private planShotStart = -Infinity;
  /** What the previous window foresaw for the frames after it, per panel. */
  private tail: { times: number[]; views: [Views, Views] } | null = null;
  /** Per panel: the view the camera is locked at, or easing out of since `start`. */
  private locks: [Lock | null, Lock | null] = [null, null];
  /** Per cast member, their last sighting in the current shot before the planned frames. */
  private lastSighting = new Map<number, { t: number; view: CropView }>();
  private planned = 0;
  /** Frame numbers at which shots start (the tracks file's `shots`). */
  readonly shotStarts: number[] = [];
  /** Shots (indexes into shotStarts) with a crop that pads (the tracks file's `padded`). */
  readonly padded: number[] = [];

  constructor(options: StreamPlanOptions) {
    const missingSeconds = options.missingSeconds ?? 2;
    this.o = {
      missingPolicy: 'keep',
      camera: DEFAULT_CAMERA_OPTIONS,
      identity: DEFAULT_IDENTITY_OPTIONS,
      overlay: false,
      windowSeconds: 4,
      contextSeconds: 3,
      blendSeconds: 1,
      ...options,
      missingSeconds,
      lookaheadSeconds: Math.max(options.lookaheadSeconds ?? 3, missingSeconds),
    };
  }

  get cast(): Cast | 'assigned' {
    return this.o.cast;
  }

  /** Frames, detections and cuts known but not yet planned (a few windows' worth). */
  get held(): { frames: number; samples: number } {
    return { frames: this.pending.length + this.context.length, samples: this.unlinked.length + this.linked.length };
  }

  addFrame(t: number): void {
    const p = this.pending;
    // Frames arrive nearly in order (B-frames a little late): insert from the end.
    let i = p.length;
    while (i > 0 && p[i - 1]! > t) i--;
    p.splice(i, 0, t);
  }

  /** `assigned`: the faces of `sample` in panel 0 and 1, with the `assigned` cast (and only then). */
  addSample(sample: DetectionSample, assigned?: PairAssignment): void {
    if ((this.o.cast === 'assigned') !== (assigned !== undefined)) throw new Error('a sample comes with its panel faces exactly when the cast is "assigned"');
    this.unlinked.push(assigned ? { sample, assigned } : { sample });
  }

  /** A cut found final (see CutDetector): the first frame at or after `t` starts a new shot. */
  addCut(t: number): void {
    this.cuts.push(t);
    this.linkCuts.push(t);
  }

  /**
   * Everything before `settled` has been given (frames, detections, cuts); returns the frames that
   * can be planned now, in order.
   */
  advance(settled: number): PlannedFrame[] {
    this.link(settled);
    const out: PlannedFrame[] = [];
    const { windowSeconds: window, lookaheadSeconds: lookahead } = this.o;
    while (this.pending.length > 0) {
      const start = this.pending[0]!;
      while (this.cuts.length > 0 && this.cuts[0]! <= start + SAME_INSTANT) this.startShot(this.cuts.shift()!);
      if (this.planShotStart === -Infinity) this.startShot(start);
      const cut = this.cuts[0] ?? Infinity;
      let end: number;
      let lookEnd: number;
      if (cut <= settled) {
        end = Math.min(cut, start + window);
        lookEnd = Math.min(cut, end + lookahead);
      } else {
        end = start + window;
        lookEnd = end + lookahead;
        if (lookEnd > settled) break;
      }
      // Where the shot is known to end: the cut, or the video's last frame; else the look-ahead's end.
      const last = this.pending[this.pending.length - 1]!;
      const shotEnd = cut !== Infinity && lookEnd >= cut - SAME_INSTANT ? cut : settled === Infinity && last < lookEnd ? last + 1e-6 : lookEnd;
      this.planWindow(end, lookEnd, shotEnd, out);
    }
    return out;
  }

  /** All that is left, once the whole video has been given. */
  finish(): PlannedFrame[] {
    return this.advance(Infinity);
  }

  private startShot(t: number): void {
    if (t <= this.planShotStart + SAME_INSTANT) return;
    this.planShotStart = t;
    if (this.shotStarts[this.shotStarts.length - 1] !== this.planned) this.shotStarts.push(this.planned);
    this.context = [];
    this.tail = null;
    this.locks = [null, null];
    this.lastSighting.clear();
    this.linked = this.linked.filter((s) => s.t >= t - SAME_INSTANT);
  }

  /** Links detections before `settled` into tracklets, shot by shot (cuts are known up to there). */
  private link(settled: number): void {
    const { identity } = this.o;
    while (this.unlinked.length > 0 && this.unlinked[0]!.sample.t < settled) {
      const { sample, assigned } = this.unlinked.shift()!;
      let cut = false;
      while (this.linkCuts.length > 0 && this.linkCuts[0]! <= sample.t + SAME_INSTANT) cut = this.linkCuts.shift() !== undefined;
      if (cut) this.active = [];
      this.active = this.active.filter((tr) => sample.t - tr.last <= identity.maxGapSeconds + 1e-9);
      const byFace = linkFaces(this.active, sample, identity);
      const linked: LinkedSample = { t: sample.t, faces: [], ...(assigned ? { assigned } : {}) };
      for (const face of sample.faces) {
        let tracklet = byFace.get(face);
        if (!tracklet) {
          tracklet = {
            id: this.nextTracklet++,
            shot: 0,
            items: [],
            appearance: null,
            likeness: null,
            count: 0,
            xSum: 0,
            hSum: 0,
            first: sample.t,
            last: sample.t,
            name: null,
          };
          this.active.push(tracklet);
        }
        // Linking reads only the last two items: older ones are not kept.
        tracklet.items = [...tracklet.items.slice(-1), { sample: 0, t: sample.t, face }];
        tracklet.appearance = addAppearance(tracklet.appearance, face.appearance);
        tracklet.likeness = addLikeness(tracklet.likeness, face.likeness);
        tracklet.count++;
        tracklet.xSum += face.box.x + face.box.w / 2;
        tracklet.hSum += face.box.h;
        tracklet.last = sample.t;
        linked.faces.push({ face, tracklet });
      }
      this.linked.push(linked);
    }
  }

  private look(tracklet: StreamTracklet): TrackletLook {
    return {
      appearance: tracklet.appearance,
      likeness: tracklet.likeness,
      x: tracklet.xSum / tracklet.count,
      h: tracklet.hSum / tracklet.count,
      first: tracklet.first,
      last: tracklet.last,
      previous: tracklet.name,
    };
  }

  /** Names the tracklets seen in `samples` after the cast; someone the cast lacks may join it. */
  private name(samples: readonly LinkedSample[]): void {
    const cast = this.o.cast;
    if (cast === 'assigned') return;
    const tracklets = [...new Set(samples.flatMap((s) => s.faces.map((f) => f.tracklet)))];
    const freePanel = cast.panels.includes(null);
    // Seen a few times, and described where the cast was (a false face is not described: see
    // detect/likeness.ts): only such a tracklet may join the cast or fill a free panel.
    const described = cast.members.some((m) => m.likeness !== null);
    const trusted = (t: StreamTracklet) => t.count >= 3 && (!described || t.likeness !== null);
    for (const tracklet of tracklets) {
      if (!freePanel || !trusted(tracklet)) continue;
      const look = this.look(tracklet);
      if (cast.members.every((m) => memberCost(m, look) > CAST_MATCH_DISTANCE)) {
        tracklet.name = joinCast(cast, look, tracklet.count);
        if (!cast.panels.includes(null)) break;
      }
    }
    const looks = tracklets.map((t) => this.look(t));
    const names = fillPanels(cast, looks, nameTracklets(cast, looks), tracklets.map(trusted));
    tracklets.forEach((t, i) => (t.name = names[i]!));
  }

  /** Plans the frames before `end` with the camera computed over the frames before `lookEnd`. */
  private planWindow(end: number, lookEnd: number, shotEnd: number, out: PlannedFrame[]): void {
    const o = this.o;
    let count = 0;
    while (count < this.pending.length && this.pending[count]! < end - SAME_INSTANT) count++;
    let lookCount = count;
    while (lookCount < this.pending.length && this.pending[lookCount]! < lookEnd - SAME_INSTANT) lookCount++;
    const emit = this.pending.slice(0, count);
    const times = [...this.context, ...this.pending.slice(0, lookCount)];
    const spanStart = times[0]!;
    const samples = this.linked.filter((s) => s.t >= spanStart - SAME_INSTANT && s.t < lookEnd - SAME_INSTANT);
    this.name(samples);
    const panelFace = (s: LinkedSample, panel: number) => {
      if (s.assigned) return s.assigned[panel] ?? null;
      const member = this.member(panel);
      return member === null ? null : (s.faces.find((f) => f.tracklet.name === member)?.face ?? null);
    };
    const views = [0, 1].map((panel) => this.panelViews(panel, samples, times, shotEnd, panelFace)) as [Views, Views];
    const offset = this.context.length;
    const blendFrom = this.tail;
    const aspect = panelAspect(o.layout, o.output);
    const outputAspect = o.output.width / o.output.height;
    let sampleIndex = -1;
    const shownPerPanel: [Views, Views] = [[], []];
    for (let k = 0; k < emit.length; k++) {
      const t = emit[k]!;
      const shown = [0, 1].map((p) => {
        const view = this.followLock(p, t, views[p]![offset + k]!) ?? blend(blendFrom, p, t, views[p]![offset + k]!, (t - emit[0]!) / o.blendSeconds);
        shownPerPanel[p]!.push(view);
        return view;
      });
      while (sampleIndex + 1 < samples.length && samples[sampleIndex + 1]!.t <= t + SAME_INSTANT) sampleIndex++;
      const frame: PlannedFrame = { t: roundTime(t), panels: framePanels(shown[0] ?? null, shown[1] ?? null, aspect, outputAspect, o.source) };
      const shot = this.shotStarts.length - 1;
      if (frame.panels.some((p) => p && cropPads(p, o.source)) && this.padded[this.padded.length - 1] !== shot) this.padded.push(shot);
      if (o.overlay) {
        const sample = samples[sampleIndex];
        frame.faces =
          sample && sample.t >= this.planShotStart - SAME_INSTANT
            ? sample.faces.map(({ face }) => ({ ...roundBox(face.box), person: panelFace(sample, 0) === face ? 0 : panelFace(sample, 1) === face ? 1 : null }))
            : [];
      }
      out.push(frame);
    }
    this.tail = { times: this.pending.slice(count, lookCount), views: [views[0].slice(offset + count), views[1].slice(offset + count)] };
    for (const p of [0, 1]) this.lockAtEnd(p, emit, shownPerPanel[p]!);
    for (const s of samples) {
      if (s.t >= end - SAME_INSTANT) break;
      for (const { face, tracklet } of s.faces) if (tracklet.name !== null) this.lastSighting.set(tracklet.name, { t: s.t, view: viewForFace(face.box) });
    }
    this.planned += emit.length;
    this.context = [...this.context, ...emit].filter((t) => t >= end - o.contextSeconds - SAME_INSTANT);
    this.pending = this.pending.slice(count);
    this.linked = this.linked.filter((s) => s.t >= end - o.contextSeconds - SAME_INSTANT);
  }

  /** The cast member a panel shows; null with no one there, or with the `assigned` cast (no names). */
  private member(panel: number): number | null {
    return this.o.cast === 'assigned' ? null : (this.o.cast.panels[panel] ?? null);
  }

  /**
   * A camera locked off in the window before stays locked while this window's path stays within the
   * dead band of it (each window finds its own hold, a little different: without this the camera
   * would creep at every window); once the path leaves, it eases from the lock into the path.
   * Null: no lock, the caller blends as usual.
   */
  private followLock(panel: number, t: number, view: CropView | null): CropView | null {
    const lock = this.locks[panel];
    if (!lock || !view) {
      this.locks[panel] = null;
      return null;
    }
    const { deadBand, zoomDeadBand } = this.o.camera;
    const v = lock.view;
    const inside = Math.abs(view.cx - v.cx) <= deadBand * v.h && Math.abs(view.cy - v.cy) <= deadBand * v.h && Math.abs(Math.log(view.h / v.h)) <= zoomDeadBand;
    if (lock.release === null && inside) return v;
    lock.release ??= t;
    const progress = (t - lock.release) / this.o.blendSeconds;
    if (progress >= 1) {
      this.locks[panel] = null;
      return null;
    }
    const w = progress * progress * (3 - 2 * progress);
    return { cx: v.cx + (view.cx - v.cx) * w, cy: v.cy + (view.cy - v.cy) * w, h: v.h * Math.pow(view.h / v.h, w) };
  }

  /** The camera ends this window locked off when its last half second did not move. */
  private lockAtEnd(panel: number, emit: readonly number[], shown: Views): void {
    if (this.locks[panel] || shown.length === 0) return;
    const last = shown[shown.length - 1];
    const since = emit[emit.length - 1]! - 0.5;
    const same = (v: CropView | null) =>
      v !== null && last !== null && last !== undefined && Math.abs(v.cx - last.cx) < 1e-6 && Math.abs(v.cy - last.cy) < 1e-6 && Math.abs(v.h - last.h) < 1e-6;
    if (emit[0]! <= since && shown.every((v, k) => emit[k]! < since || same(v))) this.locks[panel] = { view: last!, release: null };
  }

  /**
   * One panel's camera over the frames `times` (context, window, look-ahead), null per frame where
   * it shows nobody (the person never seen yet in the shot, or away under `full-width`).
   */
  private panelViews(
    panel: number,
    samples: readonly LinkedSample[],
    times: readonly number[],
    shotEnd: number,
    panelFace: (s: LinkedSample, panel: number) => Face | null,
  ): Views {
    const o = this.o;
    const member = this.member(panel);
    const sampleTimes: number[] = [];
    const targets: (CropView | null)[] = [];
    const before = member === null ? undefined : this.lastSighting.get(member);
    if (before && (samples.length === 0 || before.t < samples[0]!.t - SAME_INSTANT)) {
      sampleTimes.push(before.t);
      targets.push(before.view);
    }
    for (const s of samples) {
      const face = panelFace(s, panel);
      sampleTimes.push(s.t);
      targets.push(face ? viewForFace(face.box) : null);
    }
    const path = shotCameraPath(sampleTimes, targets, times, o.fps, o.camera);
    if (!path) return times.map(() => null);
    const seen = sampleTimes.filter((_, i) => targets[i] !== null);
    // A stretch still open at the end of the look-ahead is at least the look-ahead long: away.
    const gaps = sightingGaps(this.planShotStart, seen, shotEnd).filter(([a, b]) => b - a >= o.missingSeconds);
    return times.map((t, i) => {
      if (o.missingPolicy === 'full-width' && gaps.some(([a, b]) => t > a && t < b)) return null;
      return { cx: path.cx[i]!, cy: path.cy[i]!, h: path.h[i]! };
    });
  }
}

interface Lock {
  view: CropView;
  /** Set once the planned path has left the lock's dead band: the time the ease out began. */
  release: number | null;
}

function roundBox(box: Rect): Rect {
  return { x: Math.round(box.x), y: Math.round(box.y), w: Math.round(box.w), h: Math.round(box.h) };
}

/** Eases from what the window before foresaw for frame `t` into this window's view over `progress` 0..1. */
function blend(from: { times: number[]; views: [Views, Views] } | null, panel: number, t: number, view: CropView | null, progress: number): CropView | null {
  if (!from || !view || progress >= 1) return view;
  const i = from.times.indexOf(t);
  const old = i < 0 ? null : from.views[panel]![i];
  if (!old) return view;
  const w = progress * progress * (3 - 2 * progress);
  return { cx: old.cx + (view.cx - old.cx) * w, cy: old.cy + (view.cy - old.cy) * w, h: old.h * Math.pow(view.h / old.h, w) };
}
