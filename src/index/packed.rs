//! How a stored record's bytes are kept: one small zstd frame a record, compressed against
//! a dictionary trained on the corpus when the index is made (zstd's dictionary mode), so
//! that a page of hits decompresses the records it shows and nothing else. tantivy's store
//! keeps the frames as they are, in small uncompressed blocks. The dictionary is a file of
//! the index folder that the commit's payload names; docs/ARCHITECTURE.md says why.

use crate::error::{Error, Result};
use std::path::Path;
use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};
use zstd::bulk::Compressor;
use zstd::dict::EncoderDictionary;
use zstd::zstd_safe::{CParameter, DCtx, DDict, DParameter, FrameFormat};

/// The largest dictionary trained: 256 KiB kept the generated corpus's records within 7%
/// of 128 KiB blocks at the same level (docs/BENCHMARKS.md).
const DICTIONARY_BYTES: usize = 256 * 1024;
/// How many files, spread evenly over a build's files, the dictionary is trained on.
const SAMPLE_FILES: usize = 240;
/// Below this much sample text no dictionary is trained.
const TRAINED_FROM: usize = 64 * 1024;
/// The zstd level of a record's frame: against the dictionary, level 5 keeps the records 3%
/// larger than level 9 for a third of its time (docs/BENCHMARKS.md).
const LEVEL: i32 = 5;

/// The dictionary of an index: its bytes and its file name in the index folder.
pub(crate) struct Dictionary {
    /// Its file name (`records-<hash>.dict`), which the commit's payload keeps.
    pub(crate) name: String,
    /// What zstd trained (or the raw sample text); mapped when read from the folder.
    pub(crate) bytes: OwnedBytes,
}

impl Dictionary {
    /// A dictionary trained on `samples` (stored records), or `None` when they hold less
    /// than [`TRAINED_FROM`] bytes: an index that small is small anyway, and its next update
    /// with more text trains one (records without a dictionary stay readable beside it).
    pub(crate) fn train(samples: &[Vec<u8>]) -> Option<Dictionary> {
        Dictionary::train_from(samples, TRAINED_FROM)
    }

    fn train_from(samples: &[Vec<u8>], at_least: usize) -> Option<Dictionary> {
        let total: usize = samples.iter().map(Vec::len).sum();
        if total < at_least {
            return None;
        }
        // zstd refuses some samples (too few, or too alike): their text itself is then the
        // dictionary (its raw content mode).
        let bytes = zstd::dict::from_samples(samples, DICTIONARY_BYTES.min(total / 8))
            .unwrap_or_else(|_| {
                let mut raw: Vec<u8> = samples.concat();
                raw.truncate(DICTIONARY_BYTES);
                raw
            });
        let name = format!("records-{:016x}.dict", xxhash_rust::xxh3::xxh3_64(&bytes));
        Some(Dictionary {
            name,
            bytes: OwnedBytes::new(bytes),
        })
    }

    /// The dictionary `name` of the index at `dir`, mapped. A dictionary file is written
    /// once, under a name of its own, and never changed in place: a mapping of it stays
    /// valid while a rebuild writes the next one.
    pub(crate) fn read(dir: &Path, name: &str) -> Result<Dictionary> {
        let cannot = |e: &dyn std::fmt::Display| Error::Damaged {
            path: dir.into(),
            detail: format!("the records' dictionary {name} cannot be read ({e})"),
        };
        let bytes = MmapDirectory::open(dir)
            .map_err(|e| cannot(&e))?
            .open_read(Path::new(name))
            .map_err(|e| cannot(&e))?
            .read_bytes()
            .map_err(|e| cannot(&e))?;
        Ok(Dictionary {
            name: name.to_string(),
            bytes,
        })
    }

    /// Writes it into the index folder `dir` (before the commit that names it).
    pub(crate) fn write(&self, dir: &Path) -> Result<()> {
        crate::index::folder::write_atomically(&dir.join(&self.name), self.bytes.as_slice())
    }

    /// Which files spread evenly over `count` files are sampled: at most [`SAMPLE_FILES`].
    pub(crate) fn sampled(count: usize) -> impl Iterator<Item = usize> {
        let step = count.div_ceil(SAMPLE_FILES).max(1);
        (0..count).step_by(step)
    }
}

/// Removes the dictionaries of the folder other than `keep` (those of earlier commits), and
/// any dictionary half written by a build that was killed (`records-….tmp`). Called after a
/// commit, under the writer's lock: no other build is writing one.
pub(crate) fn remove_others(dir: &Path, keep: Option<&str>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let dictionary = name.ends_with(".dict") || name.ends_with(".tmp");
        if name.starts_with("records-") && dictionary && Some(&*name) != keep {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Compresses records, each into a frame of its own, with the index's dictionary if it has
/// one. A record's bytes: its length, shifted left once with the low bit set when the frame
/// uses the dictionary, as a LEB128 number; then the frame without zstd's magic number.
pub(crate) struct Packer {
    dict: Option<EncoderDictionary<'static>>,
}

impl Packer {
    /// A packer with `dict`, or with no dictionary.
    pub(crate) fn new(dict: Option<&Dictionary>) -> Packer {
        Packer {
            dict: dict.map(|d| EncoderDictionary::copy(d.bytes.as_slice(), LEVEL)),
        }
    }

    /// A compressor for one thread's records (the build makes one a resolution).
    pub(crate) fn compressor(&self) -> Compressor<'_> {
        let made = match &self.dict {
            Some(d) => Compressor::with_prepared_dictionary(d),
            None => Compressor::new(LEVEL),
        };
        let mut c = made.expect("zstd makes a compression context");
        for p in [
            CParameter::Format(FrameFormat::Magicless),
            CParameter::ContentSizeFlag(false),
            CParameter::ChecksumFlag(false),
            CParameter::DictIdFlag(false),
        ] {
            c.set_parameter(p).expect("zstd takes the frame parameters");
        }
        c
    }

    /// The stored bytes of `text`.
    pub(crate) fn pack(&self, c: &mut Compressor<'_>, text: &str) -> Vec<u8> {
        let frame = c
            .compress(text.as_bytes())
            .expect("compressing in memory does not fail");
        let mut out = Vec::with_capacity(frame.len() + 4);
        let head = ((text.len() as u64) << 1) | u64::from(self.dict.is_some());
        leb128(&mut out, head);
        out.extend_from_slice(&frame);
        out
    }
}

fn leb128(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The number at the start of `bytes` and the length it took, or `None` past 10 bytes.
fn read_leb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut n = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        n |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, i + 1));
        }
    }
    None
}

/// One answer's decompression: records packed by a [`Packer`] with the dictionary whose
/// bytes it is given, read in place (the dictionary file is mapped, never copied).
pub(crate) struct Unpacker<'d> {
    dict: Option<&'d [u8]>,
    ddict: Option<DDict<'d>>,
    dctx: Option<DCtx<'static>>,
}

impl<'d> Unpacker<'d> {
    /// An unpacker for records packed with the dictionary `dict` (or with none).
    pub(crate) fn new(dict: Option<&'d Dictionary>) -> Unpacker<'d> {
        Unpacker {
            dict: dict.map(|d| d.bytes.as_slice()),
            ddict: None,
            dctx: None,
        }
    }

    /// The record text `bytes` hold, or what is wrong with them.
    pub(crate) fn unpack(&mut self, bytes: &[u8]) -> std::result::Result<String, String> {
        let (head, at) = read_leb128(bytes).ok_or("its length is unreadable")?;
        let len = usize::try_from(head >> 1).map_err(|_| "its length is too large")?;
        let dctx = self.dctx.get_or_insert_with(|| {
            let mut d = DCtx::create();
            d.set_parameter(DParameter::Format(FrameFormat::Magicless))
                .expect("zstd takes the frame format");
            d
        });
        let mut out = Vec::with_capacity(len);
        let done = if head & 1 == 1 {
            let dict = self
                .dict
                .ok_or("it needs a dictionary the commit does not name")?;
            let ddict = match &self.ddict {
                Some(d) => d,
                None => self.ddict.insert(
                    DDict::try_create_by_reference(dict).ok_or("the dictionary is unreadable")?,
                ),
            };
            dctx.decompress_using_ddict(&mut out, &bytes[at..], ddict)
        } else {
            dctx.decompress(&mut out, &bytes[at..])
        };
        done.map_err(|e| {
            format!(
                "it does not decompress ({})",
                zstd::zstd_safe::get_error_name(e)
            )
        })?;
        if out.len() != len {
            return Err(format!("it holds {} bytes, not {len}", out.len()));
        }
        String::from_utf8(out).map_err(|_| "it is not UTF-8".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_leaves_its_own_dictionary_alone() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "records-a.dict",
            "records-b.dict",
            "records-c.tmp",
            "meta.json",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        remove_others(dir.path(), Some("records-b.dict"));
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["meta.json", "records-b.dict"]);
    }

    fn seed_samples() -> Vec<Vec<u8>> {
        let seed = crate::parse_file(Path::new("corpus/A-RES-78-46.zh.txt")).unwrap();
        seed[0]
            .records()
            .iter()
            .map(|r| r.text.as_bytes().to_vec())
            .collect()
    }

    /// Records read back as they were, with a dictionary and without one, and a packer
    /// without a dictionary writes what an unpacker with one reads (an index whose first
    /// build was too small to train one keeps those records).
    #[test]
    fn records_read_back_whole() {
        let samples = seed_samples();
        let dict = Dictionary::train_from(&samples, 1024).expect("the seed is long enough");
        let texts = [
            "",
            "一",
            "回顾其关于《武器贸易条约》的第 77/71 号决议\u{1f}{\"res\":1}",
        ];
        let plain = Packer::new(None);
        let packed = Packer::new(Some(&dict));
        let mut cx = Unpacker::new(Some(&dict));
        for text in texts
            .iter()
            .copied()
            .chain(samples.iter().map(|s| std::str::from_utf8(s).unwrap()))
        {
            for p in [&plain, &packed] {
                let bytes = p.pack(&mut p.compressor(), text);
                assert_eq!(cx.unpack(&bytes).unwrap(), text);
            }
        }
        // Without the dictionary, a record that needs it is an error, not a wrong text.
        let bytes = packed.pack(&mut packed.compressor(), texts[2]);
        let err = Unpacker::new(None).unpack(&bytes).unwrap_err();
        assert!(err.contains("dictionary"), "{err}");
        assert!(Unpacker::new(None).unpack(&[0xff; 12]).is_err());
        let mut cut = packed.pack(&mut packed.compressor(), texts[2]);
        cut.truncate(cut.len() - 3);
        assert!(cx.unpack(&cut).is_err());
    }

    /// The dictionary makes the seed's records smaller than frames without one.
    #[test]
    fn the_dictionary_pays() {
        let samples = seed_samples();
        let dict = Dictionary::train_from(&samples, 1024).unwrap();
        assert!(
            Dictionary::train(&samples).is_none(),
            "the seed alone is too short"
        );
        let size = |p: &Packer| -> usize {
            let mut c = p.compressor();
            samples
                .iter()
                .map(|s| p.pack(&mut c, std::str::from_utf8(s).unwrap()).len())
                .sum()
        };
        let (with, without) = (size(&Packer::new(Some(&dict))), size(&Packer::new(None)));
        assert!(with * 2 < without, "{with} with, {without} without");
    }
}
