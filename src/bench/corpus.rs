//! Generating archives of any size in the sample pages' layouts. (Placeholder.)
