//! UI state and actions. (Placeholder.)
