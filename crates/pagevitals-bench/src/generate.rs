//! A deterministic generator of entry logs (format `pagevitals-entry-log`, version 1, see
//! `docs/entry-log.md`) of any length, in the mix the performance requirement names.
//!
//! Every entry has the keys Chromium's `toJSON()` gives it (as in `tests/data/*.chromium.json`)
//! plus the `selector` the agent adds, `name`, `entryType`, `startTime` and `duration` first as
//! `toJSON()` writes them, and times coarsened the way Chromium coarsens them (to
//! 0.1 ms of the epoch time, so `startTime` reads like `34.40000000002328`): number parsing is
//! a large part of the cost, and round numbers would flatter it. Records are in increasing
//! `startTime` order after the navigation entry, as one page view of a long-lived single-page
//! shop would produce them.

use serde_json::{Value, json};

/// `performance.timeOrigin` of the generated page view (that of the recorded
/// `tests/data/basic.chromium.json`), in ms since the epoch.
const TIME_ORIGIN: f64 = 1_795_268_419_135.2;

/// When the page first paints, in ms; the navigation's response arrives well before.
const FIRST_PAINT_AT: f64 = 180.0;

/// Chromium's `navigationId` on every entry of the first page view.
const ENTRY_NAVIGATION_ID: u32 = 1;

/// How many entries of each kind a log of a given length holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mix {
    /// `resource` entries: half of all.
    pub resources: usize,
    /// `layout-shift` entries: a fifth.
    pub layout_shifts: usize,
    /// `event` entries: a tenth.
    pub events: usize,
    /// The navigation entry, the two paint entries, then LCP candidates, long tasks and long
    /// animation frames: the rest.
    pub others: usize,
}

impl Mix {
    /// The requirement's mix for a log of `entries` entries.
    pub fn for_entries(entries: usize) -> Mix {
        let resources = entries / 2;
        let layout_shifts = entries / 5;
        let events = entries / 10;
        Mix {
            resources,
            layout_shifts,
            events,
            others: entries - resources - layout_shifts - events,
        }
    }
}

/// A log of exactly `entries` records in the [`Mix`] for that length, the same text for the
/// same `entries` and `seed`.
pub fn generate_log(entries: usize, seed: u64) -> String {
    let mix = Mix::for_entries(entries);
    let mut rng = Lcg::new(seed);
    let mut g = Generator::default();

    // The navigation and the two paints are placed by hand; everything else is shuffled.
    let fixed = mix.others.min(3);
    let lcps = (mix.others - fixed) / 5;
    let long_tasks = (mix.others - fixed - lcps) / 2;
    let frames = mix.others - fixed - lcps - long_tasks;
    let mut kinds = Vec::with_capacity(entries);
    for (kind, count) in [
        (Kind::Resource, mix.resources),
        (Kind::LayoutShift, mix.layout_shifts),
        (Kind::Event, mix.events),
        (Kind::Lcp, lcps),
        (Kind::LongTask, long_tasks),
        (Kind::LongAnimationFrame, frames),
    ] {
        kinds.extend(std::iter::repeat_n(kind, count));
    }
    rng.shuffle(&mut kinds);

    let mut records = Vec::with_capacity(entries);
    if fixed >= 1 {
        records.push(navigation());
    }
    let mut paints = &["first-paint", "first-contentful-paint"][..fixed.saturating_sub(1)];
    let mut t = 0.0;
    for kind in kinds {
        t += rng.range(0.2, 1.8);
        if t >= FIRST_PAINT_AT {
            for name in std::mem::take(&mut paints) {
                records.push(paint(name, FIRST_PAINT_AT));
            }
        }
        records.push(g.entry(kind, t, &mut rng));
    }
    for name in paints {
        t += 1.0;
        records.push(paint(name, t));
    }

    let log = json!({
        "format": "pagevitals-entry-log",
        "version": 1,
        "page": {
            "url": "https://shop.example/products?category=shoes",
            "navigationId": "bench-1",
            "timeOrigin": TIME_ORIGIN,
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                          HeadlessChrome/156.0.0.0 Safari/537.36",
            "supportedEntryTypes": [
                "element", "event", "first-input", "interaction-contentful-paint",
                "largest-contentful-paint", "layout-shift", "long-animation-frame", "longtask",
                "mark", "measure", "navigation", "paint", "resource", "soft-navigation",
                "visibility-state"
            ],
            "initialVisibility": "visible",
            "prerendering": false,
            "wasDiscarded": false,
            "agentForm": "wasm"
        },
        "now": coarse(t + 500.0),
        "interactionCount": g.interactions,
    });
    // `records` last, as the agent writes it.
    let mut text = log.to_string();
    text.pop();
    text.push_str(r#","records":["#);
    for (i, record) in records.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        write_record(record, &mut text);
    }
    text.push_str("]}");
    text
}

/// The keys `PerformanceEntry.toJSON()` writes first, in its order (Performance Timeline,
/// <https://w3c.github.io/performance-timeline/#tojson-method>: name, entryType, startTime,
/// duration; each entry type's `toJSON()` adds its own attributes after those of the
/// interface it inherits, in Chromium's `BuildJSONValue` as in the WebIDL default `toJSON`).
const TO_JSON_FIRST: [&str; 4] = ["name", "entryType", "startTime", "duration"];

/// `record` as the browser serialises it: [`TO_JSON_FIRST`] first, then the entry type's own
/// keys (here in `serde_json::Map`'s sorted order, which the parser does not depend on).
fn write_record(record: &Value, out: &mut String) {
    let Value::Object(map) = record else {
        out.push_str(&record.to_string());
        return;
    };
    let first = TO_JSON_FIRST.iter().filter_map(|k| map.get_key_value(*k));
    let rest = map
        .iter()
        .filter(|(k, _)| !TO_JSON_FIRST.contains(&k.as_str()));
    out.push('{');
    for (i, (key, value)) in first.chain(rest).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::from(key.as_str()).to_string());
        out.push(':');
        out.push_str(&value.to_string());
    }
    out.push('}');
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Resource,
    LayoutShift,
    Event,
    Lcp,
    LongTask,
    LongAnimationFrame,
}

/// The state entries of one kind carry from one to the next.
#[derive(Default)]
struct Generator {
    resources: usize,
    events: usize,
    interactions: u64,
    largest_size: u64,
}

/// Selectors as the agent writes them for event targets, shifted nodes and LCP elements.
const SELECTORS: &[&str] = &[
    "html>body>main>section.grid>article.card>button.add-to-cart",
    "html>body>header>nav>a.cart",
    "html>body>main>section.grid>article.card>img.product",
    "html>body>main>aside.filters>label>input[type=checkbox]",
    "html>body>div#cookie-banner",
    "html>body>main>section.hero>h1",
    "html>body>main>section.grid",
    "html>body>footer>form>input#email",
];

/// (initiatorType, URL pattern, contentType): the resources of a shop page.
const RESOURCES: &[(&str, &str, &str)] = &[
    (
        "script",
        "https://shop.example/static/js/chunk-{}.js",
        "text/javascript",
    ),
    ("link", "https://shop.example/static/css/{}.css", "text/css"),
    (
        "img",
        "https://img.cdn-example.net/products/{}/800w.webp",
        "image/webp",
    ),
    (
        "img",
        "https://img.cdn-example.net/products/{}/400w.webp",
        "image/webp",
    ),
    (
        "fetch",
        "https://shop.example/api/products?page={}",
        "application/json",
    ),
    (
        "css",
        "https://fonts.cdn-example.net/inter-{}.woff2",
        "font/woff2",
    ),
    (
        "xmlhttprequest",
        "https://metrics.example.org/collect?seq={}",
        "text/plain",
    ),
    ("other", "https://shop.example/manifest-{}.json", ""),
];

impl Generator {
    fn entry(&mut self, kind: Kind, t: f64, rng: &mut Lcg) -> Value {
        match kind {
            Kind::Resource => self.resource(t, rng),
            Kind::LayoutShift => layout_shift(t, rng),
            Kind::Event => self.event(t, rng),
            Kind::Lcp => self.lcp(t, rng),
            Kind::LongTask => long_task(t, rng),
            Kind::LongAnimationFrame => long_animation_frame(t, rng),
        }
    }

    fn resource(&mut self, t: f64, rng: &mut Lcg) -> Value {
        let index = self.resources;
        self.resources += 1;
        let (initiator, pattern, content_type) = *rng.pick(RESOURCES);
        let url = pattern.replace("{}", &format!("{index:x}"));
        // Most requests reuse an HTTP/2 connection; one in eight opens a new one.
        let (dns, connect, tls) = if rng.below(8) == 0 {
            (
                rng.range(1.0, 30.0),
                rng.range(5.0, 40.0),
                rng.range(5.0, 30.0),
            )
        } else {
            (0.0, 0.0, 0.0)
        };
        let fetch_start = t;
        let dns_end = fetch_start + dns;
        let connect_end = dns_end + connect;
        let secure_start = connect_end - tls;
        let request_start = connect_end + rng.range(0.1, 2.0);
        let response_start = request_start + rng.range(5.0, 150.0);
        let response_end = response_start + rng.range(0.5, 200.0);
        let body = u64::from(rng.below(400_000)) + 200;
        let blocking = index < 12 && (initiator == "script" || initiator == "link");
        json!({
            "name": url,
            "entryType": "resource",
            "startTime": coarse(t),
            "duration": coarse(response_end) - coarse(t),
            "initiatorType": initiator,
            "deliveryType": "",
            "nextHopProtocol": "h2",
            "renderBlockingStatus": if blocking { "blocking" } else { "non-blocking" },
            "contentType": content_type,
            "contentEncoding": if content_type.starts_with("text/") { "br" } else { "" },
            "workerStart": 0,
            "workerRouterEvaluationStart": 0,
            "workerCacheLookupStart": 0,
            "workerMatchedSourceType": "",
            "workerFinalSourceType": "",
            "redirectStart": 0,
            "redirectEnd": 0,
            "fetchStart": coarse(fetch_start),
            "domainLookupStart": coarse(fetch_start),
            "domainLookupEnd": coarse(dns_end),
            "connectStart": coarse(dns_end),
            "secureConnectionStart": coarse(secure_start),
            "connectEnd": coarse(connect_end),
            "requestStart": coarse(request_start),
            "responseStart": coarse(response_start),
            "firstInterimResponseStart": 0,
            "finalResponseHeadersStart": coarse(response_start),
            "responseEnd": coarse(response_end),
            "transferSize": body + 300,
            "encodedBodySize": body,
            "decodedBodySize": if content_type.starts_with("text/") { body * 4 } else { body },
            "responseStatus": 200,
            "serverTiming": [],
            "navigationId": ENTRY_NAVIGATION_ID,
        })
    }

    /// Event Timing entries of interactions: a tap is a `pointerdown` and a `click` sharing an
    /// interactionId, a key press a `keydown` of its own. Durations are whole multiples of
    /// 8 ms, as Chromium rounds them, and at least 40 ms (the observer's threshold).
    fn event(&mut self, t: f64, rng: &mut Lcg) -> Value {
        let index = self.events;
        self.events += 1;
        let name = ["pointerdown", "click", "keydown"][index % 3];
        if name != "click" {
            self.interactions += 1;
        }
        let interaction_id = 7000 + 7 * self.interactions;
        let processing_start = t + rng.range(0.5, 20.0);
        let processing_end = processing_start + rng.range(1.0, 30.0);
        json!({
            "name": name,
            "entryType": "event",
            "startTime": coarse(t),
            "duration": 40 + 8 * rng.below(20),
            "processingStart": coarse(processing_start),
            "processingEnd": coarse(processing_end),
            "interactionId": interaction_id,
            "cancelable": true,
            "navigationId": ENTRY_NAVIGATION_ID,
            "selector": rng.pick(SELECTORS),
        })
    }

    /// Each LCP candidate is larger than the last, as the browser only reports larger ones.
    fn lcp(&mut self, t: f64, rng: &mut Lcg) -> Value {
        self.largest_size += u64::from(rng.below(5_000)) + 1;
        let image = rng.below(2) == 0;
        let url = if image {
            format!(
                "https://img.cdn-example.net/products/{:x}/800w.webp",
                self.largest_size
            )
        } else {
            String::new()
        };
        let load_time = if image {
            coarse((t - rng.range(1.0, 40.0)).max(0.0))
        } else {
            0.0
        };
        json!({
            "name": "",
            "entryType": "largest-contentful-paint",
            "startTime": coarse(t),
            "duration": 0,
            "renderTime": coarse(t),
            "loadTime": load_time,
            "paintTime": coarse((t - rng.range(1.0, 16.0)).max(0.0)),
            "presentationTime": coarse(t),
            "size": self.largest_size,
            "id": "",
            "url": url,
            "navigationId": ENTRY_NAVIGATION_ID,
            "selector": rng.pick(SELECTORS),
        })
    }
}

fn navigation() -> Value {
    json!({
        "name": "https://shop.example/products?category=shoes",
        "entryType": "navigation",
        "startTime": 0,
        "duration": coarse(412.3),
        "initiatorType": "navigation",
        "deliveryType": "",
        "nextHopProtocol": "h2",
        "renderBlockingStatus": "non-blocking",
        "contentType": "text/html",
        "contentEncoding": "br",
        "confidence": { "randomizedTriggerRate": 0.5, "value": "high" },
        "criticalCHRestart": 0,
        "notRestoredReasons": null,
        "type": "navigate",
        "redirectCount": 0,
        "activationStart": 0,
        "unloadEventStart": 0,
        "unloadEventEnd": 0,
        "workerStart": 0,
        "workerRouterEvaluationStart": 0,
        "workerCacheLookupStart": 0,
        "workerMatchedSourceType": "",
        "workerFinalSourceType": "",
        "redirectStart": 0,
        "redirectEnd": 0,
        "fetchStart": coarse(0.8),
        "domainLookupStart": coarse(2.1),
        "domainLookupEnd": coarse(14.6),
        "connectStart": coarse(14.6),
        "secureConnectionStart": coarse(31.0),
        "connectEnd": coarse(52.4),
        "requestStart": coarse(52.9),
        "responseStart": coarse(118.7),
        "firstInterimResponseStart": 0,
        "finalResponseHeadersStart": coarse(118.7),
        "responseEnd": coarse(131.2),
        "domInteractive": coarse(164.0),
        "domContentLoadedEventStart": coarse(171.5),
        "domContentLoadedEventEnd": coarse(173.9),
        "domComplete": coarse(410.8),
        "loadEventStart": coarse(410.9),
        "loadEventEnd": coarse(412.3),
        "transferSize": 18_420,
        "encodedBodySize": 18_120,
        "decodedBodySize": 96_311,
        "responseStatus": 200,
        "serverTiming": [
            { "name": "db", "duration": 23.5, "description": "" },
            { "name": "render", "duration": 31.2, "description": "ssr" },
        ],
        "navigationId": ENTRY_NAVIGATION_ID,
    })
}

fn paint(name: &str, t: f64) -> Value {
    json!({
        "name": name,
        "entryType": "paint",
        "startTime": coarse(t),
        "duration": 0,
        "paintTime": coarse((t - 7.7).max(0.0)),
        "presentationTime": coarse(t),
        "navigationId": ENTRY_NAVIGATION_ID,
    })
}

fn layout_shift(t: f64, rng: &mut Lcg) -> Value {
    let x = f64::from(rng.below(1200));
    let y = f64::from(rng.below(3000));
    let (w, h) = (
        f64::from(rng.below(600) + 20),
        f64::from(rng.below(400) + 10),
    );
    let dy = f64::from(rng.below(120) + 1);
    json!({
        "name": "",
        "entryType": "layout-shift",
        "startTime": coarse(t),
        "duration": 0,
        "value": rng.range(0.0001, 0.05),
        "hadRecentInput": false,
        "lastInputTime": 0,
        "sources": [{
            "previousRect": rect(x, y, w, h),
            "currentRect": rect(x, y + dy, w, h),
            "selector": rng.pick(SELECTORS),
        }],
        "navigationId": ENTRY_NAVIGATION_ID,
    })
}

/// `DOMRectReadOnly.toJSON()`.
fn rect(x: f64, y: f64, width: f64, height: f64) -> Value {
    json!({
        "x": x, "y": y, "width": width, "height": height,
        "top": y, "right": x + width, "bottom": y + height, "left": x,
    })
}

fn long_task(t: f64, rng: &mut Lcg) -> Value {
    json!({
        "name": "self",
        "entryType": "longtask",
        "startTime": coarse(t),
        "duration": 50 + rng.below(250),
        "attribution": [{
            "name": "unknown",
            "entryType": "taskattribution",
            "startTime": 0,
            "duration": 0,
            "containerType": "window",
            "containerSrc": "",
            "containerId": "",
            "containerName": "",
        }],
        "navigationId": ENTRY_NAVIGATION_ID,
    })
}

fn long_animation_frame(t: f64, rng: &mut Lcg) -> Value {
    let duration = rng.range(50.0, 250.0);
    let script_start = t + rng.range(0.5, 5.0);
    let script_duration = duration * 0.6;
    json!({
        "name": "long-animation-frame",
        "entryType": "long-animation-frame",
        "startTime": coarse(t),
        "duration": coarse(t + duration) - coarse(t),
        "renderStart": coarse(t + duration * 0.8),
        "styleAndLayoutStart": coarse(t + duration * 0.85),
        "firstUIEventTimestamp": 0,
        "blockingDuration": coarse(t + duration - 50.0) - coarse(t),
        "scripts": [{
            "name": "script",
            "entryType": "script",
            "startTime": coarse(script_start),
            "duration": coarse(script_start + script_duration) - coarse(script_start),
            "invoker": "BUTTON.add-to-cart.onclick",
            "invokerType": "event-listener",
            "windowAttribution": "self",
            "executionStart": coarse(script_start + 0.1),
            "forcedStyleAndLayoutDuration": 0,
            "pauseDuration": 0,
            "sourceURL": "https://shop.example/static/js/app.js",
            "sourceFunctionName": "addToCart",
            "sourceCharPosition": 10_000 + rng.below(90_000),
            "navigationId": ENTRY_NAVIGATION_ID,
        }],
        "navigationId": ENTRY_NAVIGATION_ID,
    })
}

/// A time `ms` after the time origin as Chromium reports it: the epoch time rounded to
/// 0.1 ms, minus the time origin (Chromium's coarsening of high-resolution time).
fn coarse(ms: f64) -> f64 {
    ((TIME_ORIGIN + ms) * 10.0).round() / 10.0 - TIME_ORIGIN
}

/// Knuth's MMIX linear congruential generator: deterministic and plenty for test data.
struct Lcg(u64);

impl Lcg {
    fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }

    fn next_u32(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 32) as u32
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u32) -> u32 {
        ((u64::from(self.next_u32()) * u64::from(n)) >> 32) as u32
    }

    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * f64::from(self.next_u32()) / 4_294_967_296.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u32) as usize]
    }

    /// Fisher-Yates.
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i as u32 + 1) as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use pagevitals_core::{analyze, parse_log};

    use super::*;

    #[test]
    fn a_generated_log_parses_and_has_the_requested_mix() {
        let text = generate_log(1000, 7);
        let log = parse_log(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(log.records.len(), 1000);
        let report = analyze(&log);
        let count = |t: &str| report.entry_counts.get(t).copied().unwrap_or(0);
        assert_eq!(count("resource"), 500);
        assert_eq!(count("layout-shift"), 200);
        assert_eq!(count("event"), 100);
        assert_eq!(count("navigation"), 1);
        assert_eq!(count("paint"), 2);
        let rest = [
            "largest-contentful-paint",
            "longtask",
            "long-animation-frame",
        ];
        assert_eq!(rest.iter().map(|t| count(t)).sum::<usize>(), 197);
        assert!(rest.iter().all(|t| count(t) > 0));
        // The generated entries are complete enough for every metric, so the benchmark times
        // the metric code too, not only the parser.
        let m = &report.metrics;
        let computed = [
            m.fcp.is_some(),
            m.ttfb.is_some(),
            m.lcp.is_some(),
            m.cls.is_some(),
        ];
        assert_eq!(computed, [true; 4], "FCP, TTFB, LCP, CLS");
        assert!(m.inp.is_some(), "INP from the generated interactions");
        assert!(report.unsupported_entry_types.is_empty());
    }

    #[test]
    fn entries_follow_each_other_in_time_and_the_same_seed_gives_the_same_log() {
        let text = generate_log(500, 3);
        assert_eq!(text, generate_log(500, 3));
        assert_ne!(text, generate_log(500, 4));
        let log: Value = serde_json::from_str(&text).unwrap();
        let times: Vec<f64> = log["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["startTime"].as_f64().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        assert!(log["now"].as_f64().unwrap() > *times.last().unwrap());
    }

    #[test]
    fn records_open_with_the_keys_to_json_writes_first() {
        let text = generate_log(50, 5);
        let log: Value = serde_json::from_str(&text).unwrap();
        // The same records, whatever the order of their keys.
        assert_eq!(log["records"].as_array().map(Vec::len), Some(50));
        let start = text.find(r#""records":["#).unwrap() + r#""records":["#.len();
        for record in text[start..].split(r#"},{"name":"#).skip(1).take(20) {
            assert!(record.contains(r#","entryType":"#), "{record}");
            let entry_type = record.find(r#""entryType":"#).unwrap();
            assert!(
                record.find(r#""startTime":"#).unwrap() > entry_type,
                "{record}"
            );
        }
    }

    #[test]
    fn tiny_logs_are_still_valid() {
        for n in 0..12 {
            let log = parse_log(&generate_log(n, 1)).unwrap_or_else(|e| panic!("{n}: {e}"));
            assert_eq!(log.records.len(), n);
        }
    }
}
