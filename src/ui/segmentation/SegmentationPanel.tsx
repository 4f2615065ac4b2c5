import { memo } from 'react';
import { modelKey } from '@/segment/modelIndex';
import type { MaskSource } from '@/ui/masks/maskSource';
import { describeBackend } from './backendInfo';
import { clinicalModelName, orderModels } from './modelNames';
import type { Segmentation } from './useSegmentation';
import './segmentation.css';

export interface SegmentationPanelProps {
  segmentation: Segmentation;
  hasSeries: boolean;
  /** The frame on screen (0-based), marked in the frame strip. */
  frame: number;
  frameCount: number;
  /** Frames whose masks on screen were edited by hand (one flag per frame), marked in the strip. */
  editedFrames?: readonly boolean[] | undefined;
  /** The mask on screen: the status says whose it is (it may be the previous model's while another one runs). */
  shown?: MaskSource | undefined;
}

function formatSeconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** "about 40 s left" / "about 4 min left" from the pace of the frames done so far in this job. */
function timeLeft(done: number, total: number, elapsedMs: number): string {
  if (done <= 0 || total <= done) return '';
  const ms = (elapsedMs / done) * (total - done);
  return ms >= 90_000
    ? `, about ${Math.round(ms / 60_000)} min left`
    : `, about ${Math.max(1, Math.round(ms / 1000))} s left`;
}

function framesText(n: number): string {
  return `${n} frame${n === 1 ? '' : 's'}`;
}

/** Run / progress / cancel for the model's masks, the backend in use, and the advanced model choice. */
export const SegmentationPanel = memo(function SegmentationPanel({
  segmentation: s,
  hasSeries,
  frame,
  frameCount,
  editedFrames,
  shown,
}: SegmentationPanelProps) {
  const percent = s.progress && s.progress.total > 0 ? Math.round((100 * s.progress.done) / s.progress.total) : 0;
  const complete = s.progress !== undefined && s.progress.done === s.progress.total;
  const selected = s.models.find((m) => modelKey(m) === s.selectedKey);
  const selectedName = selected ? clinicalModelName(selected) : 'the model';
  const nameOf = (id: string, version: string): string => {
    const m = s.models.find((e) => e.id === id && e.version === version);
    return m ? clinicalModelName(m) : `${id} ${version}`;
  };
  const total = s.progress?.total ?? 0;
  const done = s.progress?.done ?? 0;
  const rp = s.runProgress;
  const eta = s.running && rp && rp.modelKey === s.selectedKey ? timeLeft(rp.done, rp.total, rp.elapsedMs) : '';
  const shownText = !shown
    ? undefined
    : shown.kind === 'file'
      ? 'On screen: labels from file.'
      : shown.kind === 'edited'
        ? 'On screen: masks edited by hand.'
        : `On screen: ${nameOf(shown.modelId, shown.modelVersion)} masks` +
          (shown.complete ? `, all ${framesText(shown.labels.dims.frames)}.` : ', still arriving.');
  const status =
    s.modelStatus === 'loading'
      ? `Loading ${selectedName}…`
      : s.modelStatus === 'error'
        ? 'The model could not be loaded.'
        : !hasSeries
          ? 'Ready. Load a series to segment it.'
          : s.running
            ? s.keepingPrevious
              ? `Running ${selectedName}: ${done}/${total} frames${eta}. The previous masks stay until it is done.`
              : `Segmenting with ${selectedName}… ${done}/${total} frames${eta}`
            : complete
              ? `${total === 1 ? 'The frame is' : `All ${total} frames`} segmented with ${selectedName}${
                  s.lastRun && !s.lastRun.cancelled && s.lastRun.images > 0
                    ? ` (${s.lastRun.images} images in ${formatSeconds(s.lastRun.elapsedMs)})`
                    : ''
                }.`
              : s.lastRun?.cancelled
                ? `Cancelled: ${done}/${total} frames segmented with ${selectedName}.`
                : `Not segmented yet with ${selectedName}.`;
  return (
    <section className="panel segmentation" data-testid="segmentation-panel" aria-labelledby="segmentation-title">
      <h2 id="segmentation-title">Segmentation</h2>
      <p className="muted" data-testid="segment-status" role="status">
        {status}
      </p>
      {hasSeries && shownText && (
        <p className="segment-shown" data-testid="segment-shown">
          {shownText}
        </p>
      )}
      {hasSeries && (
        <div className="segment-progress-row">
          <div
            className="segment-progress"
            role="progressbar"
            aria-label="Segmentation progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            data-testid="segment-progress"
          >
            {/* Scaled, not resized: the compositor animates it, the main thread lays nothing out per frame. */}
            <div className="segment-progress-bar" style={{ transform: `scaleX(${percent / 100})` }} />
          </div>
          <span className="segment-percent">{percent}%</span>
        </div>
      )}
      {hasSeries && frameCount > 1 && (
        <ol className="segment-frames" aria-label="Frames segmented" data-testid="segment-frames">
          {Array.from({ length: frameCount }, (_, f) => {
            const ready = s.framesReady?.[f] === 1;
            const edited = editedFrames?.[f] === true;
            return (
              <li
                key={f}
                className={`segment-frame${ready ? ' segment-frame--ready' : ''}${f === frame ? ' segment-frame--current' : ''}${edited ? ' segment-frame--edited' : ''}`}
                title={`Frame ${f + 1}: ${ready ? 'segmented' : 'not segmented yet'}${edited ? ', edited by hand' : ''}`}
                data-ready={ready}
                data-edited={edited}
              />
            );
          })}
        </ol>
      )}
      <div className="segment-buttons">
        <button
          type="button"
          className="button"
          onClick={s.run}
          disabled={!hasSeries || s.modelStatus !== 'ready' || s.running || complete}
          data-testid="segment-run"
        >
          Segment
        </button>
        <button type="button" className="button" onClick={s.cancel} disabled={!s.running} data-testid="segment-cancel">
          Cancel
        </button>
      </div>
      <p className="muted backend-info" data-testid="backend-info">
        {s.backend ? describeBackend(s.backend) : 'Starting the model runtime…'}
      </p>
      {s.backend?.note && (
        <p className="segment-note" data-testid="backend-note">
          Slower here: {s.backend.note}.
        </p>
      )}
      <details className="segment-advanced" data-testid="segment-advanced">
        <summary>Advanced</summary>
        <label className="field">
          <span>Model</span>
          <select
            value={s.selectedKey ?? ''}
            onChange={(e) => s.selectModel(e.currentTarget.value)}
            disabled={s.models.length === 0}
            title={selected?.label}
            data-testid="model-select"
          >
            {orderModels(s.models).map((m) => (
              <option key={modelKey(m)} value={modelKey(m)} title={m.label}>
                {clinicalModelName(m)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field--inline">
          <input
            type="checkbox"
            checked={s.autoStart}
            onChange={(e) => s.setAutoStart(e.currentTarget.checked)}
            data-testid="auto-segment"
          />
          <span>Segment automatically when a series loads</span>
        </label>
      </details>
    </section>
  );
});
