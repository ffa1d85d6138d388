import type { Reporter } from '@playwright/test/reporter';

/** Options of `pagevitals/reporter`. */
export interface PageVitalsReporterOptions {
  /** Where to write the result file (default $PAGEVITALS_RESULT, else pagevitals-result.json). */
  outputFile?: string;
}

/** Collects the reports tests attach (`attachReport`) into one `pagevitals-result` file. */
export default class PageVitalsReporter implements Reporter {
  constructor(options?: PageVitalsReporterOptions);
}
