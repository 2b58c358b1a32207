//! Where the walk of the words' union puts the records it scores: the `k` best of them
//! ([`Kept`]), or every one above a floor ([`Above`]), which is what a first page needs when
//! records of one score run past its `k` best.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use tantivy::{DocAddress, Score};

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
