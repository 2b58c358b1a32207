//! Reading the corpus: finding files under the paths given, and decoding their bytes
//! (UTF-8 with or without BOM, UTF-16 with BOM, GB18030) into text, refusing binaries.

mod cmap;
mod content;
mod font;
mod pdf;

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The files found under some paths, plus the paths that could not be walked.
#[derive(Debug, Default)]
pub(crate) struct FileList {
    /// Regular files, sorted by path, each once.
    pub files: Vec<Listed>,
    /// Problems met while walking (unreadable folder, symlink loop, missing path).
    pub errors: Vec<Error>,
}

/// A file found under a root: its path as walked, the path its records name, and its
/// canonical path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Listed {
    /// The path as walked (the root as typed, then the path inside it).
    pub path: PathBuf,
    /// The path the file's records name ([`shown_path`]).
    pub shown: String,
    /// Its canonical path ([`canonical`]): one file reached by two paths is listed once.
    pub key: String,
}

/// A path's canonical form (the path as given when it cannot be resolved): `corpus/x.txt`,
/// `./corpus/x.txt`, an absolute path and a symbolic link to the file are one file.
pub(crate) fn canonical(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// The path a file's records name, whatever form its root was typed in: the name of the
/// root folder, then the path inside it (`corpus/sub/x.txt` for the root `corpus`,
/// `./corpus`, `/home/me/corpus` or `.` typed inside it). A root that is a file is named
/// from the folder holding it (`corpus/x.txt` for the root `corpus/x.txt`). The folder's
/// name is the one typed, or its canonical path's last name when the root ends in `.` or
/// `..`.
pub(crate) fn shown_path(root: &Path, file: &Path, root_is_file: bool) -> String {
    let folder = if root_is_file {
        root.parent().unwrap_or(Path::new(""))
    } else {
        root
    };
    let name = folder.file_name().map(PathBuf::from).or_else(|| {
        let at = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        std::fs::canonicalize(at)
            .ok()
            .and_then(|c| c.file_name().map(PathBuf::from))
    });
    let inside = if root_is_file {
        root.file_name().map_or(root, Path::new)
    } else {
        file.strip_prefix(root).unwrap_or(file)
    };
    match name {
        Some(name) => name.join(inside).display().to_string(),
        None => inside.display().to_string(),
    }
}

/// Walks `root` as the corpus is read everywhere: following symbolic links, in name order,
/// skipping hidden entries below the root.
pub(crate) fn walk(root: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
}

/// Lists the regular files under `paths` (files are taken as they are; folders are walked
/// recursively, following symbolic links, skipping hidden entries), each file once however
/// many paths reach it (the first in path order). Symlink loops and
/// unreadable entries are reported in `errors`, never followed twice.
pub(crate) fn list_files(paths: &[PathBuf]) -> FileList {
    let mut out = FileList::default();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                out.errors.push(Error::io(root, e));
                continue;
            }
        };
        if meta.is_file() {
            out.files.push(Listed {
                path: root.clone(),
                shown: shown_path(root, root, true),
                key: canonical(root),
            });
            continue;
        }
        for entry in walk(root) {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let path = e.into_path();
                    let shown = shown_path(root, &path, false);
                    let key = canonical(&path);
                    out.files.push(Listed { path, shown, key });
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let message = if e.loop_ancestor().is_some() {
                        std::io::Error::other("symbolic link loop; not followed")
                    } else {
                        e.into_io_error()
                            .unwrap_or_else(|| std::io::Error::other("cannot walk this entry"))
                    };
                    out.errors.push(Error::io(path, message));
                }
            }
        }
    }
    out.files.sort();
    let mut seen = std::collections::HashSet::new();
    out.files.retain(|f| seen.insert(f.key.clone()));
    out
}

/// The most a corpus file may hold. A resolution is tens of kilobytes; a file over this is
/// something else (a database, a video, a log) and is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 32 << 20;

/// Reads one corpus file's bytes, refusing a file larger than [`MAX_FILE_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let too_large = |size: u64| Error::TooLarge {
        path: path.into(),
        size,
        max: MAX_FILE_BYTES,
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(size));
    }
    // The file may grow while it is read: never take more than the cap and one byte.
    let mut bytes = Vec::with_capacity(size as usize);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads and decodes one file.
pub fn read_text(path: &Path) -> Result<String> {
    decode(path, &read_bytes(path)?)
}

/// Decodes a file's bytes: a PDF gives its text laid out line by line (see the guide's
/// "What the parser reads"); otherwise a BOM (UTF-8, UTF-16LE/BE) decides, else UTF-8,
/// else GB18030. NUL bytes outside UTF-16 mean a binary file. CRLF and CR line ends become
/// LF.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    if pdf::is_pdf(bytes) {
        return pdf::pdf_text(path, bytes);
    }
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        return Err(Error::Decode {
            path: path.into(),
            line: 1,
            message: "named .pdf but not a PDF inside (no `%PDF-` header)".into(),
        });
    }
    let text = if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(t) => t.into_owned(),
            None => {
                let (lossy, _) = encoding.decode_without_bom_handling(body);
                let line = line_of_char(&lossy, '\u{FFFD}');
                return Err(Error::Decode {
                    path: path.into(),
                    line,
                    message: format!(
                        "invalid {} after its byte-order mark; the file is damaged or truncated",
                        encoding.name()
                    ),
                });
            }
        }
    } else if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::Decode {
            path: path.into(),
            line: line_of_byte(bytes, pos),
            message: format!(
                "binary file (NUL byte at offset {pos}); expected text in UTF-8, GB18030 or UTF-16 with a byte-order mark"
            ),
        });
    } else {
        match std::str::from_utf8(bytes) {
            Ok(t) => t.to_owned(),
            Err(e) => {
                let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
                // Plenty of well-formed multi-byte UTF-8 before the first bad byte, or a
                // sequence cut at the very end: a damaged UTF-8 file, not GB18030 (whose
                // bytes only rarely form a few valid UTF-8 characters by chance).
                let utf8_chars = valid.chars().filter(|c| !c.is_ascii()).take(32).count();
                let damaged_utf8 = utf8_chars >= 32 || (e.error_len().is_none() && utf8_chars > 0);
                let gb = if damaged_utf8 {
                    None
                } else {
                    encoding_rs::GB18030
                        .decode_without_bom_handling_and_without_replacement(bytes)
                        .map(|t| t.into_owned())
                };
                match gb {
                    Some(t) => t,
                    None => {
                        let at = e.valid_up_to();
                        let what = if e.error_len().is_none() {
                            "the file ends in the middle of a UTF-8 character (truncated?)"
                        } else {
                            "invalid UTF-8 (and not GB18030)"
                        };
                        return Err(Error::Decode {
                            path: path.into(),
                            line: line_of_byte(bytes, at),
                            message: format!("{what} at byte offset {at}"),
                        });
                    }
                }
            }
        }
    };
    Ok(normalize_newlines(text))
}

fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn line_of_byte(bytes: &[u8], pos: usize) -> usize {
    bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1
}

fn line_of_char(text: &str, c: char) -> usize {
    let pos = text.find(c).unwrap_or(text.len());
    text[..pos].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("t.txt")
    }

    #[test]
    fn utf8_with_bom_and_crlf_decode_to_plain_lf_text() {
        let bytes = b"\xEF\xBB\xBF 78/46. \xE6\xA0\x87\r\n\r\n x\r\n";
        assert_eq!(decode(p(), bytes).unwrap(), " 78/46. 标\n\n x\n");
    }

    #[test]
    fn gb18030_and_utf16_decode() {
        let (gb, _, _) = encoding_rs::GB18030.encode("大会，小武器");
        assert_eq!(decode(p(), &gb).unwrap(), "大会，小武器");
        let mut le = vec![0xFF, 0xFE];
        for u in "小武器\n".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(p(), &le).unwrap(), "小武器\n");
        let mut be = vec![0xFE, 0xFF];
        for u in "大会".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(p(), &be).unwrap(), "大会");
    }

    #[test]
    fn nul_bytes_are_a_binary_file_with_its_line() {
        let err = decode(p(), b"a\nb\nc\0d").unwrap_err().to_string();
        assert!(err.starts_with("t.txt:3: binary file"), "{err}");
    }

    #[test]
    fn utf8_cut_mid_character_is_reported_as_truncated() {
        let mut bytes = "大会\n小武器".as_bytes().to_vec();
        bytes.pop();
        let err = decode(p(), &bytes).unwrap_err().to_string();
        assert!(err.starts_with("t.txt:2:"), "{err}");
        assert!(err.contains("truncated"), "{err}");
    }

    #[test]
    fn walking_a_folder_is_sorted_and_skips_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "x").unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/c.txt"), "x").unwrap();
        let list = list_files(&[dir.path().to_path_buf()]);
        let names: Vec<_> = list
            .files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.txt", "b.txt", "sub/c.txt"]);
        assert!(list.errors.is_empty());
        let name = dir
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let shown: Vec<&str> = list.files.iter().map(|f| f.shown.as_str()).collect();
        assert_eq!(
            shown,
            [
                format!("{name}/a.txt"),
                format!("{name}/b.txt"),
                format!("{name}/sub/c.txt")
            ]
        );
    }

    #[test]
    fn a_file_reached_by_two_paths_is_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("a.txt"), dir.path().join("b.txt")).unwrap();
        let root = dir.path().to_path_buf();
        let list = list_files(&[root.clone(), root.join("a.txt")]);
        assert_eq!(list.files.len(), 1);
        assert!(list.files[0].path.ends_with("a.txt"));
    }

    #[test]
    fn a_file_is_named_the_same_whatever_form_its_root_is_typed_in() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(corpus.join("sub")).unwrap();
        let file = corpus.join("sub/x.txt");
        std::fs::write(&file, "x").unwrap();
        let name = |root: &Path, rel: &str| shown_path(root, &root.join(rel), false);
        assert_eq!(name(&corpus, "sub/x.txt"), "corpus/sub/x.txt");
        assert_eq!(name(&corpus.join("."), "sub/x.txt"), "corpus/sub/x.txt");
        assert_eq!(
            name(&corpus.join("sub/.."), "sub/x.txt"),
            "corpus/sub/x.txt"
        );
        assert_eq!(name(Path::new("corpus"), "sub/x.txt"), "corpus/sub/x.txt");
        assert_eq!(shown_path(&file, &file, true), "sub/x.txt");
        assert_eq!(
            shown_path(Path::new("corpus/x.txt"), Path::new("corpus/x.txt"), true),
            "corpus/x.txt"
        );
    }

    #[test]
    fn a_missing_path_is_an_error_not_a_stop() {
        let list = list_files(&[PathBuf::from("/nonexistent/unres")]);
        assert!(list.files.is_empty());
        assert_eq!(list.errors.len(), 1);
    }
}
