//! Generated archives for benchmarks and tests: libraries of any size in the sample
//! pages' layouts ([`corpus`]) and a library of hostile files ([`torture`]). Built only
//! with the `bench` feature (the tests turn it on): the shipped reader carries none of it.

pub mod corpus;
pub mod pages_score;
pub mod torture;
