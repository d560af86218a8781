// The run doctor's public face: the contract, the doctor, its thresholds, and
// examineRun for a whole run on disk (the CLI, and the extension on opening a run).
export type { DoctorThresholds, Finding, FindingId, GroupRef, RunDoctor, Severity } from './finding';
export { createRunDoctor } from './doctor';
export { DEFAULT_THRESHOLDS, THRESHOLD_DOCS, resolveThresholds, type ThresholdDoc } from './thresholds';
export { examineRun, examinedDoctor, pickSampleSteps, type ExamineOptions } from './examineRun';
