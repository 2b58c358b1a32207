//! Where the walks of the word layer put the records they meet: the `k` best of a union
//! ([`Kept`]), every one above a floor ([`Above`]), which is what a first page needs when
//! records of one score run past its `k` best, or the shortest holding a word ([`Shortest`]),
//! whose ties a query keeps for its next walk ([`Walked`]).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use tantivy::{DocAddress, Score, Term};

/// The word layer's best records, best first, and the most a record left out scores for
/// the words.
pub(crate) type Best = (Vec<(Score, DocAddress)>, Score);

/// What keeps the records a walk offers, in document order.
pub(super) trait Keep {
    /// Whether a record offered next, scoring `score`, would be kept.
    fn takes(&self, score: Score) -> bool;
    /// Keeps the record at `addr`, scoring `score` (it may push out another).
    fn offer(&mut self, score: Score, addr: DocAddress);
    /// The bits of the score a record must beat to be kept, once there is one.
    fn worst(&self) -> Option<u32>;
    /// Whether nothing offered from now on can change the answer.
    fn done(&self) -> bool;
}

/// The `k` best records offered in document order, ties to the first offered: the worst
/// kept on top (the lowest score, the last offered among equals). Scores are not negative,
/// so their bits order them.
pub(super) struct Kept {
    k: usize,
    heap: BinaryHeap<(Reverse<u32>, DocAddress)>,
}

impl Kept {
    /// Keeps the `k` best.
    pub(super) fn new(k: usize) -> Kept {
        Kept {
            k,
            heap: BinaryHeap::with_capacity(k.min(1 << 16) + 1),
        }
    }

    /// The records kept, best first, ties in document order, and the `k`th score (0 when
    /// fewer were offered).
    pub(super) fn into_best(self) -> Best {
        let full = self.heap.len() == self.k;
        // Ascending (lowest bits reversed = best first, then address) is the answer's order.
        let best: Vec<(Score, DocAddress)> = self
            .heap
            .into_sorted_vec()
            .into_iter()
            .map(|(bits, addr)| (Score::from_bits(bits.0), addr))
            .collect();
        let floor = match best.last() {
            Some(&(last, _)) if full => last,
            _ => 0.0,
        };
        (best, floor)
    }
}

impl Keep for Kept {
    #[inline]
    fn takes(&self, score: Score) -> bool {
        self.k > 0
            && (self.heap.len() < self.k
                || self
                    .heap
                    .peek()
                    .is_some_and(|(worst, _)| score.to_bits() > worst.0))
    }

    /// Offered in any order, the heap keeps the `k` best, ties to the lower address.
    fn offer(&mut self, score: Score, addr: DocAddress) {
        self.heap.push((Reverse(score.to_bits()), addr));
        if self.heap.len() > self.k {
            self.heap.pop();
        }
    }

    fn worst(&self) -> Option<u32> {
        (self.heap.len() == self.k)
            .then(|| self.heap.peek().map(|(worst, _)| worst.0))
            .flatten()
    }

    fn done(&self) -> bool {
        false
    }
}

/// Every record offered that scores above a floor, up to a bound.
pub(super) struct Above {
    floor: Score,
    bound: usize,
    kept: Vec<(Score, DocAddress)>,
}

impl Above {
    /// Keeps the records scoring above `floor`, or gives up past `bound` of them.
    pub(super) fn new(floor: Score, bound: usize) -> Above {
        Above {
            floor,
            bound,
            kept: Vec::new(),
        }
    }

    /// The records kept, in the order offered; `None` when there were more than the bound.
    pub(super) fn into_records(self) -> Option<Vec<(Score, DocAddress)>> {
        (self.kept.len() <= self.bound).then_some(self.kept)
    }
}

impl Keep for Above {
    #[inline]
    fn takes(&self, score: Score) -> bool {
        score > self.floor && !self.done()
    }

    fn offer(&mut self, score: Score, addr: DocAddress) {
        self.kept.push((score, addr));
    }

    fn worst(&self) -> Option<u32> {
        Some(self.floor.to_bits())
    }

    fn done(&self) -> bool {
        self.kept.len() > self.bound
    }
}

/// The `k` records of the smallest norms offered, ties to the first offered (records are
/// offered in document order), kept as they come. Once `k` are held, a record whose norm is
/// not below the `k`th smallest cannot enter: the many records of one length (a paragraph
/// repeated from session to session) are turned away, not kept and sorted again. With room
/// for `ties`, the records of the `k`th norm are let in too while they and those below are
/// at most `k + ties`, so that every record offered of a norm below `below` is kept: a first
/// page cut through by them takes them from here ([`Walked`]) instead of reading the list
/// again.
pub(super) struct Shortest {
    k: usize,
    ties: usize,
    kept: Vec<(u8, DocAddress)>,
    /// How many records kept have each norm.
    per_norm: [usize; 256],
    /// Only records of a norm below this are kept, and every one offered is.
    below: u16,
    /// The records kept are tightened when they reach this many.
    limit: usize,
}

impl Shortest {
    /// Keeps the `k` shortest, and their ties up to `ties` more.
    pub(super) fn new(k: usize, ties: usize) -> Shortest {
        Shortest {
            k,
            ties,
            kept: Vec::new(),
            per_norm: [0; 256],
            below: 256,
            limit: 2 * k.max(64),
        }
    }

    /// Offers the record at `addr`, of norm `norm` (most are turned away here, inline).
    #[inline]
    pub(super) fn offer(&mut self, norm: u8, addr: DocAddress) {
        if u16::from(norm) < self.below {
            self.keep(norm, addr);
        }
    }

    #[inline(never)]
    fn keep(&mut self, norm: u8, addr: DocAddress) {
        self.kept.push((norm, addr));
        self.per_norm[usize::from(norm)] += 1;
        if self.kept.len() >= self.limit {
            self.tighten();
        }
    }

    /// Keeps the records of norms up to the `k`th smallest when they are few enough ties,
    /// else the `k` first of the smallest norms; lets in only the norms kept whole.
    fn tighten(&mut self) {
        let mut seen = 0;
        let Some(kth) = (0..=u8::MAX).find(|&norm| {
            seen += self.per_norm[usize::from(norm)];
            seen >= self.k
        }) else {
            return;
        };
        if self.ties > 0 && seen <= self.k + self.ties {
            self.kept.retain(|&(norm, _)| norm <= kth);
            self.per_norm[usize::from(kth) + 1..].fill(0);
            self.below = u16::from(kth) + 1;
        } else {
            let at_kth = self.per_norm[usize::from(kth)];
            let mut room = self.k - (seen - at_kth);
            self.kept.retain(|&(norm, _)| {
                norm < kth
                    || (norm == kth && room > 0 && {
                        room -= 1;
                        true
                    })
            });
            self.per_norm[usize::from(kth)] = self.k - (seen - at_kth);
            self.per_norm[usize::from(kth) + 1..].fill(0);
            self.below = u16::from(kth);
        }
        self.limit = self.limit.max(2 * self.kept.len());
    }

    /// Every record offered of a norm below the first returned, in document order.
    pub(super) fn whole(&self) -> (u16, Vec<(u8, DocAddress)>) {
        let below = self.below;
        let whole = self
            .kept
            .iter()
            .filter(|&&(norm, _)| u16::from(norm) < below)
            .copied()
            .collect();
        (below, whole)
    }

    /// The `k` records kept of the smallest norms, smallest first, then in document order
    /// (the `k` first picked by the counts of each norm, then sorted: the ties kept may be
    /// thousands).
    pub(super) fn into_best(mut self) -> Vec<(u8, DocAddress)> {
        let mut seen = 0;
        let kth = (0..=u8::MAX).find(|&norm| {
            seen += self.per_norm[usize::from(norm)];
            seen >= self.k
        });
        if let Some(kth) = kth {
            let mut room = self.k - (seen - self.per_norm[usize::from(kth)]);
            self.kept.retain(|&(norm, _)| {
                norm < kth
                    || (norm == kth && room > 0 && {
                        room -= 1;
                        true
                    })
            });
        }
        self.kept.sort();
        self.kept
    }
}

/// The shortest records holding one word, or every word of a query, kept by a query's
/// first walk for its second (see [`Shortest`]).
#[derive(Default)]
pub(crate) struct Walked {
    /// The records of the smallest norms holding every word of a set.
    shortest: Option<KeptWhole>,
}

/// Every record holding each of `words` of a norm below `below`, with its norm, in
/// document order.
struct KeptWhole {
    words: Vec<Term>,
    below: u16,
    records: Vec<(u8, DocAddress)>,
}

impl Walked {
    /// Keeps the records holding every term of `terms` of a norm below `below` (every one,
    /// with its norm, in document order).
    pub(super) fn keep_shortest(
        &mut self,
        terms: &[&Term],
        below: u16,
        whole: Vec<(u8, DocAddress)>,
    ) {
        self.shortest = Some(KeptWhole {
            words: terms.iter().map(|&t| t.clone()).collect(),
            below,
            records: whole,
        });
    }

    /// The records kept by [`Walked::keep_shortest`] for `terms` (the same terms in the
    /// same order), and the norm they are below.
    pub(crate) fn shortest(&self, terms: &[&Term]) -> Option<(u16, &[(u8, DocAddress)])> {
        match &self.shortest {
            Some(kept) if kept.words.iter().eq(terms.iter().copied()) => {
                Some((kept.below, &kept.records))
            }
            _ => None,
        }
    }
}
