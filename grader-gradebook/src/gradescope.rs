//! Gradescope results.json. (Being written.)
