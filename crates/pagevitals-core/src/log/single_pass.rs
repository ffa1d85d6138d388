//! The fast reading of an entry log: every record read once, straight into its type.
//!
//! The reference parser ([`super::parse_by_record`]) reads each record three times: sliced
//! out of the log, read for its kind, then parsed as its type. Here a record is read in one
//! pass by [`RecordVisitor`]: the keys before `entryType` (in a real log only `name`; in a
//! log whose keys were sorted, about a third) are kept as their JSON text, and once the type
//! is known they and the rest of the record are handed to that type's own derived
//! `Deserialize` ([`Replay`]), so field rules (required, defaults, unknown keys ignored) are
//! the types' own, not a second copy of them.
//!
//! This pass only reads what it can read exactly as the reference parser would, and gives up
//! (`None`) on anything else: a malformed log, a duplicated key, an escaped key, a record of
//! a type this version does not model. A record it gives up on is read by the reference
//! parser's [`super::parse_record`] from its own text (the one place where a record is read
//! twice; records are walked here by hand so their text is at hand); a log it gives up on is
//! read again by [`super::parse_by_record`], which reports the error. The tests hold the two
//! equal on the recorded logs, the benchmark's logs and malformed ones.

use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use std::collections::BTreeMap;

use super::{
    AgentCost, Entry, EntryLog, FORMAT, Lifecycle, PageInfo, Record, ResponseRecord, VERSION,
    parse_record,
};

/// The log, or `None` where the reference parser must decide.
pub(super) fn parse(text: &str) -> Option<EntryLog> {
    let mut c = Cursor { text, pos: 0 };
    let mut format: Option<&str> = None;
    let mut version: Option<u32> = None;
    let mut page: Option<PageInfo> = None;
    let mut now: Option<f64> = None;
    let mut interaction_count: Option<Option<f64>> = None;
    let mut records: Option<Vec<Record>> = None;
    let mut dropped: Option<BTreeMap<String, u64>> = None;
    let mut agent_cost: Option<Option<AgentCost>> = None;
    c.byte(b'{')?;
    if !c.next_is(b'}') {
        loop {
            let key: &str = c.value()?;
            c.byte(b':')?;
            match key {
                "format" => once(&mut format, c.value()?)?,
                "version" => once(&mut version, c.value()?)?,
                "page" => once(&mut page, c.value()?)?,
                "now" => once(&mut now, c.value()?)?,
                "interactionCount" => once(&mut interaction_count, c.value()?)?,
                "records" => once(&mut records, c.records()?)?,
                "dropped" => once(&mut dropped, c.value()?)?,
                "agentCost" => once(&mut agent_cost, c.value()?)?,
                _ => {
                    c.value::<IgnoredAny>()?;
                }
            }
            if !c.comma_or(b'}')? {
                break;
            }
        }
    }
    c.end()?;
    (format? == FORMAT && version? == VERSION).then_some(EntryLog {
        page: page?,
        now: now.unwrap_or_default(),
        interaction_count: interaction_count.flatten(),
        records: records?,
        dropped: dropped.unwrap_or_default(),
        agent_cost: agent_cost.flatten(),
    })
}

/// Sets a field read from the log's top level; `None` for a key given twice (an error).
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    slot.replace(value).is_none().then_some(())
}

/// A position in the log's text, walked by hand between the values serde_json reads.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// Skips JSON whitespace (RFC 8259 section 2) and returns the next byte, unconsumed.
    fn peek(&mut self) -> Option<u8> {
        let rest = &self.text.as_bytes()[self.pos..];
        let skipped = rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(rest.len());
        self.pos += skipped;
        rest.get(skipped).copied()
    }

    /// Consumes `expected`, after whitespace.
    fn byte(&mut self, expected: u8) -> Option<()> {
        (self.peek()? == expected).then(|| self.pos += 1)
    }

    /// Whether `b` is next (after whitespace), consuming it if so.
    fn next_is(&mut self, b: u8) -> bool {
        self.byte(b).is_some()
    }

    /// After a member or element: `true` at a comma, `false` at `close`.
    fn comma_or(&mut self, close: u8) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(true)
            }
            b if b == close => {
                self.pos += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// Only whitespace is left.
    fn end(&mut self) -> Option<()> {
        self.peek().is_none().then_some(())
    }

    /// Reads one JSON value as a `T`.
    fn value<T: Deserialize<'a>>(&mut self) -> Option<T> {
        let mut stream = serde_json::Deserializer::from_str(&self.text[self.pos..]).into_iter();
        let value = stream.next()?.ok()?;
        self.pos += stream.byte_offset();
        Some(value)
    }

    /// Reads the `records` array, each record in one pass where [`RecordVisitor`] can.
    fn records(&mut self) -> Option<Vec<Record>> {
        let mut records = Vec::new();
        self.byte(b'[')?;
        if self.next_is(b']') {
            return Some(records);
        }
        loop {
            let record = match self.value::<OnePass>() {
                Some(OnePass(record)) => record,
                None => {
                    let raw: &RawValue = self.value()?;
                    parse_record(records.len(), raw).ok()?
                }
            };
            records.push(record);
            if !self.comma_or(b']')? {
                return Some(records);
            }
        }
    }
}

/// A record read in one pass; failing to deserialize means "let the reference parser read
/// it", not that the record is bad.
struct OnePass(Record);

impl<'de> Deserialize<'de> for OnePass {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RecordVisitor)
    }
}

/// The key that tells a performance entry.
const ENTRY_TYPE: &str = "entryType";
/// The key that tells a lifecycle record.
const LIFECYCLE: &str = "lifecycle";
/// The key that tells a response record.
const RESPONSE: &str = "response";

/// What the reference parser's `Kind` reads of a record besides `entryType`, checked the way
/// it checks them: each key at most once, `lifecycle` a string or null.
#[derive(Default)]
struct KindKeys {
    lifecycle: Option<bool>,
    response: Option<bool>,
}

impl KindKeys {
    /// Notes `key` if it is one of the kind keys; an error where `Kind` would fail.
    fn note<E: de::Error>(&mut self, key: &str, value: &RawValue) -> Result<(), E> {
        let (slot, present) = match key {
            LIFECYCLE => {
                let name: Option<&str> = serde_json::from_str(value.get()).map_err(E::custom)?;
                (&mut self.lifecycle, name.is_some())
            }
            RESPONSE => (&mut self.response, value.get() != "null"),
            _ => return Ok(()),
        };
        match slot.replace(present) {
            None => Ok(()),
            Some(_) => Err(E::custom(format_args!("duplicate field `{key}`"))),
        }
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = OnePass;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OnePass, A::Error> {
        let mut kind = KindKeys::default();
        let mut before = Before::default();
        while let Some(key) = map.next_key::<&'de str>()? {
            if key == ENTRY_TYPE {
                let entry_type: &'de str = map.next_value()?;
                let rest = Replay {
                    before,
                    next: 0,
                    value: None,
                    rest: Some(map),
                    kind,
                };
                return entry(entry_type, rest).map(|e| OnePass(Record::Entry(e)));
            }
            let value: &'de RawValue = map.next_value()?;
            kind.note(key, value)?;
            before.push(key, value.get());
        }
        let replay = Replay::<A> {
            before,
            next: 0,
            value: None,
            rest: None,
            kind: KindKeys::default(),
        };
        let record = match (kind.lifecycle, kind.response) {
            (Some(true), _) => {
                Record::Lifecycle(Lifecycle::deserialize(MapAccessDeserializer::new(replay))?)
            }
            (_, Some(true)) => {
                let record = ResponseRecord::deserialize(MapAccessDeserializer::new(replay))?;
                Record::Response(Box::new(record.response))
            }
            _ => return Err(de::Error::custom("no kind")),
        };
        Ok(OnePass(record))
    }
}

/// The entry of type `entry_type` read from `map`; an error for a type this version does not
/// model, which is kept verbatim by the reference parser.
fn entry<'de, A: MapAccess<'de>>(entry_type: &str, map: Replay<'de, A>) -> Result<Entry, A::Error> {
    let de = MapAccessDeserializer::new(map);
    Ok(match entry_type {
        "navigation" => Entry::Navigation(Box::new(Deserialize::deserialize(de)?)),
        "paint" => Entry::Paint(Deserialize::deserialize(de)?),
        "visibility-state" => Entry::VisibilityState(Deserialize::deserialize(de)?),
        "largest-contentful-paint" => Entry::LargestContentfulPaint(Deserialize::deserialize(de)?),
        "layout-shift" => Entry::LayoutShift(Deserialize::deserialize(de)?),
        "event" => Entry::Event(Deserialize::deserialize(de)?),
        "first-input" => Entry::FirstInput(Deserialize::deserialize(de)?),
        "long-animation-frame" => {
            Entry::LongAnimationFrame(Box::new(Deserialize::deserialize(de)?))
        }
        "resource" => Entry::Resource(Box::new(Deserialize::deserialize(de)?)),
        "longtask" => Entry::LongTask(Deserialize::deserialize(de)?),
        "soft-navigation" => Entry::SoftNavigation(Box::new(Deserialize::deserialize(de)?)),
        "interaction-contentful-paint" => {
            Entry::InteractionContentfulPaint(Box::new(Deserialize::deserialize(de)?))
        }
        _ => return Err(de::Error::custom("an entry type kept verbatim")),
    })
}

/// A record's members as its type's `Deserialize` should see them: first those read before
/// the kind was known (from their text), then the rest straight from the log. The kind keys
/// are not passed on after `entryType` (no entry type has fields of those names) but checked
/// as the reference parser checks them.
struct Replay<'de, A> {
    before: Before<'de>,
    /// The next member of `before` to pass on.
    next: usize,
    /// The value of the member of `before` whose key was just read.
    value: Option<&'de str>,
    rest: Option<A>,
    kind: KindKeys,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some((key, value)) = self.before.get(self.next) {
            self.next += 1;
            self.value = Some(value);
            return seed
                .deserialize(BorrowedStrDeserializer::new(key))
                .map(Some);
        }
        let Some(rest) = &mut self.rest else {
            return Ok(None);
        };
        while let Some(key) = rest.next_key::<&'de str>()? {
            match key {
                ENTRY_TYPE => return Err(de::Error::custom("duplicate field `entryType`")),
                LIFECYCLE | RESPONSE => {
                    let value: &'de RawValue = rest.next_value()?;
                    self.kind.note(key, value)?;
                }
                _ => {
                    return seed
                        .deserialize(BorrowedStrDeserializer::new(key))
                        .map(Some);
                }
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        if let Some(value) = self.value.take() {
            let mut de = serde_json::Deserializer::from_str(value);
            return seed.deserialize(&mut de).map_err(de::Error::custom);
        }
        match &mut self.rest {
            Some(rest) => rest.next_value_seed(seed),
            None => Err(de::Error::custom("a value without a key")),
        }
    }
}

/// How many members read before a record's kind are kept without allocating: an entry as the
/// browser serialises it has one (`name`), a lifecycle record two or three.
const INLINE: usize = 4;

/// The members (key, value's JSON text) of a record read before its kind was known, in order.
#[derive(Default)]
struct Before<'de> {
    inline: [(&'de str, &'de str); INLINE],
    len: usize,
    more: Vec<(&'de str, &'de str)>,
}

impl<'de> Before<'de> {
    fn push(&mut self, key: &'de str, value: &'de str) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = (key, value),
            None => self.more.push((key, value)),
        }
        self.len += 1;
    }

    fn get(&self, i: usize) -> Option<(&'de str, &'de str)> {
        match i.checked_sub(INLINE) {
            None => self.inline.get(i).filter(|_| i < self.len).copied(),
            Some(j) => self.more.get(j).copied(),
        }
    }
}
