import type { CardiacFunction } from '@/core/cardiac/function';
import { formatMeasure } from './format';

interface Row {
  testId: string;
  label: string;
  title: string;
  value: string;
}

/**
 * LV and RV volumes, stroke volumes, ejection fractions, LV mass; heart rate and output when known. While masks are
 * still arriving (`provisional`) every value that depends on ED/ES is marked provisional, never shown as final.
 */
export function FunctionSummary({ result, provisional = false }: { result: CardiacFunction; provisional?: boolean }) {
  const lv: Row[] = [
    { testId: 'lvef', label: 'LVEF', title: 'LV ejection fraction', value: formatMeasure(result.lvefPct, 1, '%') },
    {
      testId: 'lvedv',
      label: 'LVEDV',
      title: 'LV end-diastolic volume',
      value: formatMeasure(result.lvedvMl, 1, 'ml'),
    },
    { testId: 'lvesv', label: 'LVESV', title: 'LV end-systolic volume', value: formatMeasure(result.lvesvMl, 1, 'ml') },
    { testId: 'lvsv', label: 'LVSV', title: 'LV stroke volume', value: formatMeasure(result.lvsvMl, 1, 'ml') },
    {
      testId: 'lv-mass',
      label: 'LV mass',
      title: 'Myocardium at end-diastole × 1.05 g/ml',
      value: formatMeasure(result.lvMassG, 1, 'g'),
    },
  ];
  const rv: Row[] = [
    { testId: 'rvef', label: 'RVEF', title: 'RV ejection fraction', value: formatMeasure(result.rvefPct, 1, '%') },
    {
      testId: 'rvedv',
      label: 'RVEDV',
      title: 'RV end-diastolic volume',
      value: formatMeasure(result.rvedvMl, 1, 'ml'),
    },
    { testId: 'rvesv', label: 'RVESV', title: 'RV end-systolic volume', value: formatMeasure(result.rvesvMl, 1, 'ml') },
    { testId: 'rvsv', label: 'RVSV', title: 'RV stroke volume', value: formatMeasure(result.rvsvMl, 1, 'ml') },
  ];
  const rate: Row[] =
    result.heartRateBpm === undefined
      ? []
      : [
          {
            testId: 'heart-rate',
            label: 'Heart rate',
            title: 'From the series header',
            value: formatMeasure(result.heartRateBpm, 0, 'bpm'),
          },
          {
            testId: 'cardiac-output',
            label: 'Cardiac output',
            title: 'LVSV × heart rate',
            value: formatMeasure(result.cardiacOutputLPerMin, 2, 'l/min'),
          },
        ];
  const group = (rows: Row[]) =>
    rows.map((r) => {
      // The heart rate comes from the header: never provisional.
      const mark = provisional && r.testId !== 'heart-rate' && r.value !== '—';
      return (
        <div
          className={`measure${mark ? ' measure--provisional' : ''}`}
          key={r.testId}
          title={mark ? `${r.title} (provisional: not every frame is segmented yet)` : r.title}
        >
          <dt>{r.label}</dt>
          <dd data-testid={r.testId} data-provisional={mark ? 'true' : undefined}>
            {r.value}
          </dd>
        </div>
      );
    });
  return (
    <div className="measures">
      <dl className="measure-group" aria-label="Left ventricle">
        {group(lv)}
      </dl>
      <dl className="measure-group" aria-label="Right ventricle">
        {group(rv)}
      </dl>
      {rate.length > 0 && (
        <dl className="measure-group" aria-label="Rate and output">
          {group(rate)}
        </dl>
      )}
    </div>
  );
}
