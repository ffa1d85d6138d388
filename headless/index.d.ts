// Types for headless/index.mjs. The report's full shape is schemas/report.schema.json
// (pagevitals-report, version 1); the most used parts are typed here.
import type { BrowserContext, BrowserType, Page } from 'playwright-core';

export type Rating = 'good' | 'needs-improvement' | 'poor';
export type MetricName = 'FCP' | 'TTFB' | 'LCP' | 'CLS' | 'INP';
export type NavigationType =
  | 'navigate' | 'reload' | 'back-forward' | 'back-forward-cache' | 'prerender' | 'restore' | 'soft-navigation';

/** A metric in the web-vitals Metric shape (without `entries`). */
export interface Metric<A = Record<string, unknown>> {
  name: MetricName;
  value: number;
  rating: Rating;
  delta: number;
  id: string;
  navigationType: NavigationType;
  attribution: A;
}

export interface Metrics {
  FCP?: Metric;
  TTFB?: Metric;
  LCP?: Metric;
  CLS?: Metric;
  INP?: Metric;
}

export interface Finding {
  id: string;
  title: string;
  severity: 'high' | 'medium' | 'low';
  evidence: Array<{ label: string; url?: string; ms?: number; bytes?: number; detail?: string }>;
  saving: { ms?: number; bytes?: number; method: string };
  fix: string;
}

export type BudgetStatus = 'pass' | 'warn' | 'fail' | 'notMeasurable' | 'unsupported';

export interface BudgetResult {
  pointer: string;
  name: string;
  unit: 'ms' | 'kiB' | 'count' | 'unitless' | 'score';
  level: 'warn' | 'error';
  measured?: number;
  limit: number;
  status: BudgetStatus;
  over?: number;
  estimated: boolean;
  runs: number;
  subject?: string;
  note?: string;
}

export interface Evaluation {
  file: string;
  format: 'lighthouse' | 'pagevitals' | 'default';
  aggregate: 'median' | 'p75';
  status: 'pass' | 'warn' | 'fail';
  groups: Array<{ budget: string; path?: string; urls: string[]; runs: number; results: BudgetResult[] }>;
  unmatched: string[];
}

/** A PageVitals report (schema `pagevitals-report`, version 1). */
export interface Report {
  schema: 'pagevitals-report';
  version: 1;
  page: { url: string; navigationId: string; navigationType: NavigationType; userAgent: string };
  metrics: Metrics;
  verdict?: { rating: Rating; metric: MetricName; value: number; measured: MetricName[] };
  entryCounts: Record<string, number>;
  unsupportedEntryTypes: string[];
  longTasks?: Record<string, unknown>;
  longAnimationFrames?: Record<string, unknown>;
  resources?: Record<string, unknown>;
  recommendations: Finding[];
  softNavigations?: Array<{ page: Record<string, unknown>; metrics: Metrics; verdict?: Report['verdict'] }>;
  score?: { mobile: Record<string, unknown>; desktop: Record<string, unknown>; field: Record<string, unknown> };
  budgets?: { evaluation: Evaluation } | { error: Record<string, unknown> };
}

/** The response headers kept; no other header value is stored. */
export const KEPT_HEADERS: readonly string[];

/** Builds a report from an entry log (object or JSON text); throws on a malformed log. */
export function analyzeLog(log: object | string): Report;

/**
 * The agent as an init script (its wasm2js form). `beacon`: the URL it also posts the batches
 * it sends as the page is left to (attach() starts a listener for them).
 */
export function agentScript(options?: { beacon?: string | null }): string;

export interface Session {
  /** The current page view's report so far, or null before the agent reported. */
  report(page: Page): Promise<Report | null>;
  /** Every page view of this page, oldest first. */
  views(page: Page): Promise<Array<{ log: object; report: Report }>>;
  /** Leaves the page (for `leaveTo`, default about:blank) and returns the final report. */
  finish(page: Page, options?: { timeoutMs?: number; leaveTo?: string }): Promise<Report>;
}

/** Measures every page of a context without the extension (inject mode). */
export function attach(context: BrowserContext): Promise<Session>;

/** Chromium with the extension loaded, in a persistent context. */
export function launchWithExtension(options?: {
  chromium?: BrowserType;
  executablePath?: string;
  headless?: boolean;
  args?: string[];
}): Promise<BrowserContext>;

/** The extension's report for the latest page view of `url`, or null. */
export function extensionReport(context: BrowserContext, url: string): Promise<Report | null>;

/** The attachment name `attachReport` uses and `pagevitals/reporter` collects. */
export const REPORT_ATTACHMENT: 'pagevitals-report';

/** Attaches a report to the running Playwright test, for `pagevitals/reporter`. */
export function attachReport(testInfo: { attach(name: string, options: { body: string; contentType: string }): Promise<void> }, report: Report): Promise<void>;

/** Reads a saved report or entry log's text: the report, or why the text is neither. */
export function readReport(text: string): { report: Report } | { error: { message: string } };

/** One metric of one URL, baseline against current (docs/compare.md). */
export interface MetricComparison {
  url: string;
  metric: string;
  unit: 'ms' | 'unitless' | 'bytes';
  base: { n: number; median: number; p75: number };
  current: { n: number; median: number; p75: number };
  medianChange: number;
  medianChangeInterval: [number, number];
  p75Change: number;
  p75ChangeInterval: [number, number];
  pValue: number;
  exact: boolean;
  adjustedPValue: number;
  cliffsDelta: number;
  floor: number;
  verdict: 'regressed' | 'improved' | 'unchanged' | 'inconclusive';
  runsToDecide?: number;
  ksStatistic: number;
  ksPValue: number;
  spreadChanged: boolean;
}

export interface Comparison {
  options: { alpha: number; minCliffsDelta: number };
  adjustment: 'holm';
  family: number;
  comparisons: MetricComparison[];
  counts: Partial<Record<MetricComparison['verdict'], number>>;
}

type Runs = Report[] | { results: { url: string | null; reports: Report[] }[] };

/** Compares baseline runs against current runs, URL by URL and metric by metric. */
export function compareRuns(baseline: Runs, current: Runs, options?: { alpha?: number; minCliffsDelta?: number }): Comparison;

/** One line per regression of a comparison. */
export function describeRegressions(comparison: Comparison): string;

/**
 * Chromium: empties the HTTP cache and cookies, and the storage of `origins` (default: the
 * page's own), so that the next load is a first visit. The extension's storage is kept.
 */
export function clearBrowsingState(page: Page, origins?: string[]): Promise<void>;

/** Checks reports (runs) against a budget text (empty: the built-in budget). */
export function checkBudget(reports: Report | Report[], budgetText?: string, budgetName?: string, options?: { baseline?: Report[] }): Evaluation;

/** One line per budget item that did not pass. */
export function describeEvaluation(evaluation: Evaluation): string;

/** Throws a readable Error when the reports fail the budget. */
export function assertBudget(reports: Report | Report[], budgetText?: string, budgetName?: string): Evaluation;

/** `expect.extend(pagevitalsMatchers)`; then `expect(report).toMeetBudget(budgetText)`. */
export const pagevitalsMatchers: {
  toMeetBudget(
    received: Report | Report[],
    budgetText?: string,
    budgetName?: string,
  ): { pass: boolean; message: () => string; name: string; expected: unknown; actual: unknown };
  toNotRegressFrom(received: Runs, baseline: Runs, options?: { alpha?: number; minCliffsDelta?: number }): { pass: boolean; message: () => string };
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace PlaywrightTest {
    interface Matchers<R> {
      toMeetBudget(budgetText?: string, budgetName?: string): R;
      toNotRegressFrom(baseline: Runs, options?: { alpha?: number; minCliffsDelta?: number }): R;
    }
  }
}
