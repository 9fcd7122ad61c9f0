//! What a regrade changes. (Being written.)
