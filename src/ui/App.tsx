/**
 * The app shell: header, left column (open files, series, masks), centre (viewer + cine controls), right column
 * (measurements). State lives in hooks: useSeriesLoader (files -> series via the loader worker), useCine
 * (slice/frame/play), useMaskSources (file labels now, model output later via `addSource`).
 */
import { useCallback, useMemo, useState } from 'react';
import { CineControls } from './cine/CineControls';
import { useCine } from './cine/useCine';
import { useCineKeys } from './cine/useCineKeys';
import { DropZone } from './components/DropZone';
import { ErrorBanner } from './components/ErrorBanner';
import { Header } from './components/Header';
import { MaskControls } from './components/MaskControls';
import { MeasurementsPanel } from './components/MeasurementsPanel';
import { SeriesChooser } from './components/SeriesChooser';
import { SeriesInfo } from './components/SeriesInfo';
import { seriesIdentity } from './components/seriesFormat';
import { useFileDrop } from './loader/useFileDrop';
import { useSeriesLoader } from './loader/useSeriesLoader';
import { EditToolbar } from './masks/EditToolbar';
import { editedMarks } from './masks/maskSource';
import { useEditKeys } from './masks/useEditKeys';
import { useMaskEditing } from './masks/useMaskEditing';
import { useMaskSources } from './masks/useMaskSources';
import { LABEL_COLORS, cssColor } from './masks/labelColors';
import { QualityFlags } from './quality/QualityFlags';
import { useQualityFlags } from './quality/useQualityFlags';
import { SegmentationPanel } from './segmentation/SegmentationPanel';
import { useSegmentation } from './segmentation/useSegmentation';
import { Viewer, type MaskLayer, type MaskStyle, type ViewerEdit } from './viewer/Viewer';

export function App() {
  const loader = useSeriesLoader();
  const { series } = loader;
  const volume = series?.volume;
  const cine = useCine(series?.id, volume?.dims, volume?.frameTimesMs);
  useCineKeys(cine, volume !== undefined);
  const masks = useMaskSources(series?.id, series?.labels);
  const [maskVisible, setMaskVisible] = useState(true);
  const [maskOpacity, setMaskOpacity] = useState(0.45);
  const [maskStyle, setMaskStyle] = useState<MaskStyle>('filled');
  const toggleMaskStyle = useCallback(() => setMaskStyle((s) => (s === 'filled' ? 'outline' : 'filled')), []);
  const { setSlice, setFrame } = cine;
  const jumpTo = useCallback(
    (slice: number, frame: number) => {
      setSlice(slice);
      setFrame(frame);
    },
    [setSlice, setFrame],
  );
  const editing = useMaskEditing(series?.id, volume?.dims, masks, series?.labelledFrames, jumpTo);
  useEditKeys(editing, toggleMaskStyle, volume !== undefined);
  const drop = useFileDrop(loader.load, loader.reportError);
  const segmentation = useSegmentation(series, cine.frame, masks.addSource);
  // A model problem shows in the same alert as a file problem; the series on screen stays either way.
  const error = loader.error ?? segmentation.error;

  // While a brush drag paints, the viewer shows the edited labels as they are painted (see useMaskEditing).
  const activeLabels = (masks.active?.kind === 'edited' ? editing.liveLabels : undefined) ?? masks.active?.labels;
  const maskLayer = useMemo<MaskLayer | undefined>(
    () =>
      activeLabels ? { labels: activeLabels, opacity: maskOpacity, visible: maskVisible, style: maskStyle } : undefined,
    [activeLabels, maskOpacity, maskVisible, maskStyle],
  );
  const { tool, sizePx, label, strokeStart, strokeMove, strokeEnd, fillAt } = editing;
  const viewerEdit = useMemo<ViewerEdit | undefined>(
    () =>
      tool === 'navigate'
        ? undefined
        : {
            tool,
            sizePx,
            color: tool === 'eraser' ? '#f8fafc' : cssColor(LABEL_COLORS[label]),
            onStrokeStart: strokeStart,
            onStrokeMove: strokeMove,
            onStrokeEnd: strokeEnd,
            onFill: fillAt,
          },
    [tool, sizePx, label, strokeStart, strokeMove, strokeEnd, fillAt],
  );
  const marks = useMemo(() => editedMarks(masks.active), [masks.active]);
  const quality = useQualityFlags(volume, masks.active, series?.labelledFrames);
  const sliceEdited =
    masks.active?.kind === 'edited' &&
    masks.active.editedSlices[cine.slice + (volume?.dims.slices ?? 0) * cine.frame] === 1;

  return (
    <div className={`app${drop.dragActive ? ' app--drag-active' : ''}`} {...drop.dropHandlers}>
      <Header identity={volume ? seriesIdentity(volume.meta) : undefined} />
      {drop.dragActive && (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          Drop the files anywhere to open them
        </div>
      )}
      <main className="layout">
        <aside className="column column--left" aria-label="Files and series">
          <DropZone
            dragActive={drop.dragActive}
            busy={loader.loading !== undefined}
            onFiles={loader.load}
            onLoadSample={loader.loadSample}
            compact={series !== undefined}
          />
          {loader.loading && (
            <p className="loading" role="status" data-testid="loading">
              {loader.loading}
            </p>
          )}
          {error && (
            <ErrorBanner
              error={error}
              keptSeriesName={volume?.meta.name}
              onDismiss={loader.error ? loader.dismissError : segmentation.dismissError}
            />
          )}
          {loader.candidates && (
            <SeriesChooser candidates={loader.candidates} onChoose={loader.choose} onCancel={loader.dismissChoice} />
          )}
          {/* Masks first: what a reader changes most, above the fold at 1280x720 (series details last). */}
          {series && (
            <MaskControls
              sources={masks.sources}
              active={masks.active}
              onSelect={masks.setActiveId}
              visible={maskVisible}
              onVisibleChange={setMaskVisible}
              opacity={maskOpacity}
              onOpacityChange={setMaskOpacity}
              style={maskStyle}
              onStyleChange={setMaskStyle}
              labelledFrames={series.labelledFrames}
              frameCount={series.volume.dims.frames}
              onGoToFrame={cine.setFrame}
            />
          )}
          <SegmentationPanel
            segmentation={segmentation}
            hasSeries={series !== undefined}
            frame={cine.frame}
            frameCount={volume?.dims.frames ?? 0}
            editedFrames={marks?.frames}
            shown={masks.active}
          />
          {series && <SeriesInfo series={series} />}
        </aside>
        <section className="column column--centre" aria-label="Viewer">
          {volume && <EditToolbar editing={editing} startsFrom={masks.active?.title} sliceEdited={sliceEdited} />}
          <Viewer volume={volume} slice={cine.slice} frame={cine.frame} mask={maskLayer} edit={viewerEdit} />
          {volume && <CineControls cine={cine} dims={volume.dims} />}
          <p className="hint muted">
            Left-drag: window/level · Right-drag or wheel: zoom · Middle- or Shift-drag: pan · Double-click: reset · ↑↓
            slice · ←→ frame · Space play/pause
          </p>
        </section>
        <aside className="column column--right" aria-label="Measurements">
          <QualityFlags quality={quality} onGoTo={jumpTo} currentSlice={cine.slice} />
          <MeasurementsPanel
            volume={volume}
            mask={masks.active}
            sources={masks.sources}
            labelledFrames={series?.labelledFrames}
            frame={cine.frame}
            onGoToFrame={cine.setFrame}
          />
        </aside>
      </main>
    </div>
  );
}
