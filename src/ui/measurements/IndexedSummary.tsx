import { bodySurfaceAreaM2 } from '@/core/cardiac/bodySurfaceArea';
import type { CardiacFunction } from '@/core/cardiac/function';
import { indexedMeasures, lvefAgainstRange, referenceSex, type IndexedValue } from '@/core/cardiac/indexedMeasures';
import { REFERENCE_SOURCE } from '@/core/cardiac/referenceRanges';
import type { VolumeMeta } from '@/core/volume';
import { formatMeasure } from './format';

const VERDICT_TEXT = { below: '↓ below', within: 'normal', above: '↑ above' } as const;

/**
 * Body surface area and the BSA-indexed measures against published normal ranges (src/core/cardiac). Without a
 * height and weight in the files it says so; LVEF's range needs no body size.
 */
export function IndexedSummary({
  meta,
  result,
  provisional,
}: {
  meta: VolumeMeta;
  result: CardiacFunction;
  provisional: boolean;
}) {
  const bsa = bodySurfaceAreaM2({ heightCm: meta.heightCm, weightKg: meta.weightKg });
  const sex = referenceSex(meta.patientSex);
  const rows: IndexedValue[] = [lvefAgainstRange(result, sex), ...indexedMeasures(result, bsa, sex)];
  const sexText = sex ?? 'sex not recorded, either sex';
  return (
    <section className="indexed" aria-labelledby="indexed-title" data-testid="indexed-measures">
      <h3 id="indexed-title">
        Reference ranges <span className="muted">(adults, {sexText})</span>
      </h3>
      <p className="muted indexed-bsa" data-testid="bsa">
        {bsa === undefined
          ? 'Height and weight not recorded: no BSA-indexed values.'
          : `BSA ${bsa.toFixed(2)} m² (Mosteller; ${formatMeasure(meta.heightCm, 0, 'cm')}, ${formatMeasure(meta.weightKg, 0, 'kg')})`}
      </p>
      <table className="indexed-table">
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`indexed-${r.key}`} data-verdict={r.verdict}>
              <th scope="row">{r.name}</th>
              <td className={provisional && r.value !== undefined ? 'provisional' : undefined}>
                {formatMeasure(r.value, r.unit === 'l/min/m²' ? 2 : 1, r.unit)}
              </td>
              <td className="muted">{r.range ? `${r.range.lower}–${r.range.upper}` : ''}</td>
              <td className={`verdict verdict--${r.verdict ?? 'none'}`}>{r.verdict ? VERDICT_TEXT[r.verdict] : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted indexed-source" title={REFERENCE_SOURCE}>
        Ranges: Kawel-Boehm et al., JCMR 2015 (mean ± 2 SD). Research read-out, not a diagnosis.
      </p>
    </section>
  );
}
