// stalled: a running run has written nothing for much longer than its usual step
// time (the median gap between the last steps' wall times, else timing/step_s).
// It says where the run is now, so it is cleared as soon as the run writes again.
import type { DoctorThresholds, Finding } from '../finding';
import { findingOf, metric, type Detector } from '../detector';
import { Occurrence } from '../occurrence';
import { RollingWindow, round } from '../window';

export function stalled(t: DoctorThresholds): Detector {
  const where = new Occurrence();
  const gaps = new RollingWindow(t.baselineSteps);
  const stepSeconds = new RollingWindow(t.baselineSteps);
  let lastTime: number | undefined;
  let lastStep = 0;

  function usualStepSeconds(): number | undefined {
    if (gaps.size >= 3) return gaps.median();
    return stepSeconds.size >= 3 ? stepSeconds.median() : undefined;
  }

  return {
    onRow(row) {
      const time = metric(row, 'time');
      if (time !== undefined && lastTime !== undefined && time > lastTime && row.step > lastStep)
        gaps.push(row.step, (time - lastTime) / (row.step - lastStep));
      if (time !== undefined) lastTime = time;
      const seconds = metric(row, 'timing/step_s');
      if (seconds !== undefined) stepSeconds.push(row.step, seconds);
      lastStep = row.step;
    },
    onLiveness(running, lastWriteMs, nowMs) {
      where.clear();
      const usual = usualStepSeconds();
      if (!running || lastWriteMs === undefined || usual === undefined) return;
      const silent = (nowMs - lastWriteMs) / 1000;
      const limit = Math.max(t.stallFactor * usual, t.stallMinSeconds);
      if (silent > limit)
        where.hold({
          step: lastStep,
          score: silent / usual,
          values: { silent_s: Math.round(silent), usual_step_s: round(usual), limit_s: Math.round(limit) },
        });
    },
    dropFrom(step) {
      gaps.dropFrom(step);
      stepSeconds.dropFrom(step);
      where.dropFrom(step);
    },
    findings(): Finding[] {
      const mark = where.latest();
      if (!mark) return [];
      const v = mark.values;
      return [
        findingOf('stalled', 'error', where, {
          message: `The run has written nothing for ${duration(Number(v.silent_s))} after step ${mark.step}; a step usually takes ${v.usual_step_s} s`,
          why: 'A running trainer that stops writing is usually hung (a deadlock in distributed training, a reward function that never returns, a full disk) or dead without saying so; every minute it holds the GPU is lost.',
          tryThis:
            'Look at train.log and the process (is it using CPU or GPU?); for a hung reward set reward_timeout_s; stop the run and resume it from its last checkpoint.',
          evidence: v,
          metrics: ['timing/step_s'],
        }),
      ];
    },
  };
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${round(seconds / 3600, 2)} h`;
}
