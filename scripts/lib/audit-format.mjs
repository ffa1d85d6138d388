// How audit results read: metric values and breakdowns for the terminal, a Markdown summary
// for a CI step summary, and JUnit XML for CI test reports.

const ms = (v) => `${Math.round(v)} ms`;

/** A metric value as people read it: CLS unitless, the rest in ms. */
export function formatMetric(name, value) {
  return name === 'CLS' ? value.toFixed(3) : ms(value);
}

const DESCRIBE = {
  TTFB: (a) =>
    `waiting ${ms(a.waitingDuration)}, cache ${ms(a.cacheDuration)}, DNS ${ms(a.dnsDuration)}, ` +
    `connection ${ms(a.connectionDuration)}, request ${ms(a.requestDuration)}`,
  FCP: (a) => `first byte at ${ms(a.timeToFirstByte)}, then ${ms(a.firstByteToFCP)} to paint (${a.loadState})`,
  LCP: (a) =>
    `${a.target ?? 'unknown element'}: TTFB ${ms(a.timeToFirstByte)} + load delay ${ms(a.resourceLoadDelay)} ` +
    `+ load ${ms(a.resourceLoadDuration)} + render delay ${ms(a.elementRenderDelay)}`,
  CLS: (a) =>
    a.largestShiftTarget !== undefined
      ? `largest shift ${a.largestShiftValue.toFixed(3)} at ${ms(a.largestShiftTime)} by ${a.largestShiftTarget || 'a non-element node'}`
      : 'no shifts',
  INP: (a) =>
    `${a.interactionType} on ${a.interactionTarget ?? 'unknown'}: input delay ${ms(a.inputDelay)}, ` +
    `processing ${ms(a.processingDuration)}, presentation ${ms(a.presentationDelay)}`,
};

/** One line on where a metric's time went. */
export function describeMetric(name, attribution) {
  return DESCRIBE[name]?.(attribution) ?? '';
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** The report's summaries beyond the metrics, a line each: verdict, long tasks, scripts, resources, Server-Timing. */
export function describePage(report) {
  const lines = [];
  const v = report.verdict;
  if (v) lines.push(`verdict: ${v.rating} (worst Core Web Vital: ${v.metric}, of ${v.measured.join(', ')})`);
  const lt = report.longTasks;
  if (lt) {
    const tbt = lt.totalBlockingTime === undefined ? 'no TBT without FCP' : `total blocking time ${ms(lt.totalBlockingTime)}`;
    lines.push(`long tasks: ${lt.count} (${ms(lt.totalDuration)}), ${tbt}`);
  }
  const worst = report.longAnimationFrames?.worstScripts?.[0];
  if (worst) lines.push(`worst script in long animation frames: ${worst.sourceURL || '(inline)'} ${ms(worst.totalDuration)}`);
  const r = report.resources;
  if (r) {
    const types = Object.entries(r.byType).filter(([, t]) => t.requests).map(([k, t]) => `${k} ${t.requests}`).join(', ');
    lines.push(
      `resources: ${r.total.requests} requests (${types}), ${kb(r.total.transferSize)} transferred, ${r.total.cacheHits} from cache` +
        (r.renderBlockingStatus === 'available' ? `, ${r.total.renderBlocking} render-blocking` : ''),
    );
    for (const s of r.serverTiming ?? []) {
      lines.push(`server timing (${s.source}) ${s.url}: ${s.metrics.map((m) => `${m.name} ${m.duration} ms${m.description ? ` (${m.description})` : ''}`).join(', ')}`);
    }
  }
  const score = report.score?.mobile;
  if (typeof score?.score === 'number') {
    lines.push(`Lighthouse performance score, estimated (mobile curves, ${score.measuredWeight} of 100 weight measured, renormalised): ${Math.round(score.score * 100)}`);
  }
  if (report.unsupportedEntryTypes.length) lines.push(`unsupported in this browser: ${report.unsupportedEntryTypes.join(', ')}`);
  return lines;
}

/** How many recommendations the audit prints (the report holds them all, ranked). */
const TOP_RECOMMENDATIONS = 5;

/** The estimated saving as a phrase: "saves about 310 ms and 35.2 KB". */
function saving(s) {
  const parts = [];
  if (s.ms) parts.push(ms(s.ms));
  if (s.bytes) parts.push(kb(s.bytes));
  return parts.length ? `saves about ${parts.join(' and ')}` : 'no saving estimated';
}

/**
 * A recommendation as a person reads it, in one line: what was found, the estimated saving,
 * and the fix in a sentence. How the saving was estimated stays in the JSON. `markdown`
 * bolds the finding and keeps the fix's code spans; plain text drops their backticks.
 */
export function recommendationSentence(f, { markdown = false } = {}) {
  const action = markdown ? f.action && md(f.action) : f.action?.replaceAll('`', '');
  const title = markdown ? `**${md(f.title)}**` : f.title;
  return `${title} (${f.severity}; ${saving(f.saving)}).${action ? ` ${action}` : ''}`;
}

function evidence(e) {
  if (!e) return '';
  const facts = [e.url, e.ms !== undefined ? ms(e.ms) : null, e.bytes !== undefined ? kb(e.bytes) : null, e.detail].filter(Boolean);
  return facts.length ? `${e.label}: ${facts.join(', ')}` : e.label;
}

/** The top recommendations, a sentence and one line of evidence each, then the rest by id. */
export function recommendationLines(findings) {
  if (!findings?.length) return ['recommendations: none found'];
  const shown = findings.slice(0, TOP_RECOMMENDATIONS);
  const lines = [`top recommendations (${shown.length} of ${findings.length}, largest saving first):`];
  shown.forEach((f, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${recommendationSentence(f)}`);
    lines.push(`    evidence: ${evidence(f.evidence[0])} [${f.id}]`);
  });
  const rest = findings.slice(TOP_RECOMMENDATIONS).map((f) => f.id);
  if (rest.length) lines.push(`    also: ${rest.join(', ')}`);
  return lines;
}

const ORDER = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'];
const md = (text) => String(text).replace(/[|\\]/g, (c) => `\\${c}`);

/** A Markdown summary: per URL a table of metrics, the budget verdict and top fixes. */
export function markdownSummary(results, meta) {
  const lines = [`## PageVitals audit (${meta.browser}${meta.browserVersion ? ` ${meta.browserVersion}` : ''}, ${meta.runsPerUrl} ${meta.cache} run${meta.runsPerUrl > 1 ? 's' : ''} per URL)`, ''];
  for (const r of results) {
    lines.push(`### ${md(r.url ?? 'audit')}`, '');
    if (r.error) lines.push(`**Error:** ${md(r.error)}`, '');
    if (!r.runs) continue;
    lines.push('| metric | median | p75 | min to max | runs |', '| --- | ---: | ---: | --- | ---: |');
    for (const name of ORDER) {
      const s = r.summary[name];
      if (!s) {
        lines.push(`| ${name} | n/a | | ${name === 'INP' ? 'no interaction' : r.unsupportedEntryTypes?.length ? 'not measured or unsupported' : 'not measured'} | 0 |`);
        continue;
      }
      lines.push(`| ${name} | ${formatMetric(name, s.median)} | ${formatMetric(name, s.p75)} | ${formatMetric(name, s.min)} to ${formatMetric(name, s.max)} | ${s.n} |`);
    }
    lines.push('');
    if (r.verdict) lines.push(`Core Web Vitals assessment: **${r.verdict.assessment}**`, '');
    if (r.evaluation) {
      const e = r.evaluation;
      lines.push(`Budget \`${md(e.file)}\` (${e.aggregate}): **${e.status.toUpperCase()}**`, '');
      const notPassing = e.groups.flatMap((g) => g.results).filter((x) => x.status !== 'pass');
      if (notPassing.length) {
        lines.push('| status | item | measured | limit |', '| --- | --- | ---: | ---: |');
        for (const x of notPassing) {
          lines.push(`| ${x.status} | ${md(x.name)}${x.subject ? ` ${md(x.subject)}` : ''} | ${x.measured ?? 'n/a'} | ${x.limit} |`);
        }
        lines.push('');
      }
    }
    const top = (r.recommendations ?? []).slice(0, TOP_RECOMMENDATIONS);
    if (top.length) {
      lines.push('Top recommendations:', '');
      for (const f of top) lines.push(`- ${recommendationSentence(f, { markdown: true })}`);
      lines.push('');
    }
  }
  return lines.join('\n') + '\n';
}

const xml = (text) =>
  String(text).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);

/**
 * JUnit XML: one test suite per URL; a test case for the page itself (fails on a navigation
 * or measurement error) and one per budget item (fails on `fail`; `warn` passes with its
 * message in system-out; not measurable or unsupported is skipped with the reason).
 */
export function junitXml(results, meta) {
  const suites = results.map((r) => {
    const cases = [];
    const name = r.url ?? 'audit';
    cases.push(
      r.error
        ? `    <testcase classname="${xml(name)}" name="measure"><error message="${xml(r.error)}"/></testcase>`
        : `    <testcase classname="${xml(name)}" name="measure"><system-out>${xml(
            [
              ORDER.filter((m) => r.summary[m]).map((m) => `${m} median ${formatMetric(m, r.summary[m].median)}`).join(', '),
              ...(r.recommendations ?? []).slice(0, TOP_RECOMMENDATIONS).map((f, i) => `${i + 1}. ${recommendationSentence(f)}`),
            ].join('\n'),
          )}</system-out></testcase>`,
    );
    for (const g of r.evaluation?.groups ?? []) {
      for (const x of g.results) {
        const label = `${x.name}${x.subject ? ` ${x.subject}` : ''}`;
        const text = `measured ${x.measured ?? 'n/a'}, limit ${x.limit}${x.over ? `, over by ${x.over}` : ''}${x.note ? ` (${x.note})` : ''}`;
        let body = '';
        if (x.status === 'fail') body = `<failure message="${xml(text)}"/>`;
        else if (x.status === 'warn') body = `<system-out>${xml(`warning: ${text}`)}</system-out>`;
        else if (x.status !== 'pass') body = `<skipped message="${xml(`${x.status}: ${text}`)}"/>`;
        cases.push(`    <testcase classname="${xml(name)}" name="${xml(`budget ${label}`)}">${body}</testcase>`);
      }
    }
    const count = (re) => cases.filter((c) => re.test(c)).length;
    return `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${count(/<failure/)}" errors="${count(/<error /)}" skipped="${count(/<skipped/)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`${meta.tool} ${meta.browser}`)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
