import type { Agreement } from '@/core/cardiac/agreement';
import type { MaskSource } from '@/ui/masks/maskSource';
import { formatMeasure } from './format';
import { maskOriginText } from './maskFrames';

const dice = (v: number | undefined): string => (v === undefined ? '—' : v.toFixed(3));
const signed = (ml: number): string => `${ml > 0 ? '+' : ''}${formatMeasure(ml, 1, 'ml')}`;

/** Dice per structure and the LV/RV volume difference per frame of the model's masks against the file's labels. */
export function AgreementSummary({ agreement, test }: { agreement: Agreement; test: MaskSource }) {
  const { frames } = agreement;
  return (
    <section className="agreement" aria-labelledby="agreement-title" data-testid="agreement">
      <h3 id="agreement-title">
        Agreement <span className="muted">({maskOriginText(test).replace(/^from /, '')} vs file labels)</span>
      </h3>
      <dl className="measure-group agreement-dice">
        {(
          [
            ['lv', 'Dice LV'],
            ['myo', 'Dice myo'],
            ['rv', 'Dice RV'],
          ] as const
        ).map(([k, label]) => (
          <div className="measure" key={k} title={`Dice over ${frames.length} compared frame(s), pooled`}>
            <dt>{label}</dt>
            <dd data-testid={`dice-${k}`}>{dice(agreement.dice[k])}</dd>
          </div>
        ))}
      </dl>
      <table className="agreement-table" data-testid="agreement-frames">
        <thead>
          <tr>
            <th scope="col">frame</th>
            <th scope="col">ΔLV</th>
            <th scope="col">ΔRV</th>
            <th scope="col">Dice LV</th>
          </tr>
        </thead>
        <tbody>
          {frames.map((f) => (
            <tr key={f.frame}>
              <td>{f.frame + 1}</td>
              <td>{signed(f.differenceMl.lv)}</td>
              <td>{signed(f.differenceMl.rv)}</td>
              <td>{dice(f.dice.lv)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted agreement-note">Δ = model − file, ml.</p>
    </section>
  );
}
