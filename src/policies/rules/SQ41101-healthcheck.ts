// SQ41101: no HEALTHCHECK. Judges the effective Config.Healthcheck: a probe
// inherited from the base image satisfies the policy; HEALTHCHECK NONE (which
// turns an inherited probe off) does not.
import { configLocation, describeStep, lastStep, healthcheckTestOf } from '../history.js';
import type { Rule } from '../rule.js';

export const healthcheck: Rule = {
  ids: ['SQ41101'],
  needs: {},
  evaluate(facts) {
    const test = facts.config.Healthcheck?.Test ?? [];
    if (test.length > 0 && test[0] !== 'NONE') return [];

    if (test[0] === 'NONE') {
      const step =
        lastStep(facts, (_s, ins) => healthcheckTestOf(ins)?.[0] === 'NONE') ??
        lastStep(facts, (_s, ins) => ins.keyword === 'HEALTHCHECK');
      const by = step ? ` at ${step.inherited ? 'base-image ' : ''}${describeStep(step)}` : '';
      return [
        {
          policy: 'SQ41101',
          message: `HEALTHCHECK NONE${by} disables health checking, so a hung or dead application goes unnoticed`,
          location: configLocation('Config.Healthcheck', step),
          inherited: step?.inherited ?? false,
        },
      ];
    }
    return [
      {
        policy: 'SQ41101',
        message:
          'No HEALTHCHECK is defined (nor inherited from the base image), so Docker cannot tell when the application stops responding',
        location: configLocation('Config.Healthcheck'),
        inherited: false,
      },
    ];
  },
};
