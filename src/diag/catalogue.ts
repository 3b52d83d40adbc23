/**
 * The catalogue of every diagnostic netc reports. Codes are stable: once published a code
 * never changes meaning; a retired code is kept with `retired: true`. Messages use `{name}`
 * placeholders filled from the arguments given to `diag()`.
 *
 * Ranges:
 *   NET0xxx  syntax (lexer, parser)
 *   NET1xxx  names, imports, arguments, block instantiation
 *   NET2xxx  shapes
 *   NET3xxx  weights and tensor files
 *   NET4xxx  build and backends
 *   NET5xxx  ONNX import and export
 *   NET6xxx  command line, configuration
 *   NET9xxx  limits (sizes, depth, counts)
 *
 * Every code is documented in spec/diagnostics.md; a test keeps the two in sync.
 */
import type { Severity } from './diagnostic.ts';

export interface CatalogueEntry {
  severity: Severity;
  /** Short name used in configuration (`rules: { unused-value: off }`). */
  rule: string;
  message: string;
  retired?: boolean;
}

export const catalogue = {
  // ---- NET0xxx syntax ----
  NET0001: { severity: 'error', rule: 'unexpected-character', message: 'unexpected character {char}' },
  NET0002: { severity: 'error', rule: 'unterminated-string', message: 'unterminated string literal' },
  NET0003: { severity: 'error', rule: 'unterminated-comment', message: 'unterminated block comment' },
  NET0004: { severity: 'error', rule: 'invalid-escape', message: 'unknown escape sequence {seq} in string' },
  NET0005: { severity: 'error', rule: 'integer-too-large', message: 'integer literal {raw} is too large (the limit is 2^53 - 1)' },
  NET0010: { severity: 'error', rule: 'syntax-error', message: '{message}' },
  NET0011: { severity: 'error', rule: 'unclosed-delimiter', message: 'expected {expected} to close the {what} opened at {openedAt}' },
  NET0012: { severity: 'error', rule: 'expected-token', message: 'expected {expected}, found {found}' },
  NET0013: { severity: 'error', rule: 'misplaced-label', message: 'a label can only name a pipeline stage' },
  NET0014: { severity: 'error', rule: 'missing-stage', message: 'expected a pipeline stage after `|>`, found {found}' },
  NET0015: { severity: 'error', rule: 'unmatched-delimiter', message: 'unmatched {delim}' },
  NET0020: { severity: 'error', rule: 'nesting-too-deep', message: 'nested too deeply (more than {max} levels)' },

  // ---- NET1xxx names, imports, arguments ----
  NET1001: { severity: 'error', rule: 'unknown-name', message: 'unknown name {name}' },
  NET1002: { severity: 'error', rule: 'unknown-callee', message: 'unknown operator or block {name}' },
  NET1003: { severity: 'error', rule: 'import-cycle', message: 'import cycle: {cycle}' },
  NET1004: { severity: 'error', rule: 'module-not-found', message: 'cannot find module "{path}"' },
  NET1005: { severity: 'error', rule: 'unknown-import', message: '"{path}" has no block or constant named {name}' },
  NET1006: { severity: 'error', rule: 'duplicate-definition', message: '{name} is already defined' },
  NET1007: { severity: 'warning', rule: 'shadowing', message: '{name} shadows the {what} declared at {at}' },
  NET1008: { severity: 'warning', rule: 'unused-value', message: '{name} is never used' },
  NET1009: { severity: 'warning', rule: 'unused-import', message: 'imported name {name} is never used' },
  NET1010: { severity: 'error', rule: 'missing-argument', message: '{callee} needs argument {name}' },
  NET1011: { severity: 'error', rule: 'unknown-argument', message: '{callee} has no parameter named {name}' },
  NET1012: { severity: 'error', rule: 'duplicate-argument', message: 'argument {name} of {callee} is given more than once' },
  NET1013: { severity: 'error', rule: 'argument-type', message: 'argument {name} of {callee} must be {expected}, got {got}' },
  NET1014: { severity: 'error', rule: 'too-many-arguments', message: '{callee} takes {max} positional arguments besides its inputs, got {got}' },
  NET1015: { severity: 'error', rule: 'input-count', message: '{callee} takes {expected} tensor inputs, got {got}' },
  NET1016: { severity: 'error', rule: 'expected-tensor', message: 'expected a tensor, found {got}' },
  NET1017: { severity: 'error', rule: 'expected-scalar', message: 'expected {expected}, found {got}' },
  NET1018: { severity: 'error', rule: 'symbolic-argument', message: 'argument {name} of {callee} must be a known integer, but it is the dimension {dim}' },
  NET1019: { severity: 'error', rule: 'use-before-definition', message: '{name} is used before its definition' },
  NET1020: { severity: 'error', rule: 'duplicate-instance-name', message: 'two instances are named {name}' },
  NET1021: { severity: 'error', rule: 'missing-output', message: 'block {name} has no out statement' },
  NET1022: { severity: 'error', rule: 'unknown-output', message: '{callee} has no output named {name}' },
  NET1023: { severity: 'error', rule: 'several-outputs', message: '{callee} has several outputs ({names}); select one with .name' },
  NET1024: { severity: 'error', rule: 'unnamed-output-not-alone', message: 'an unnamed out must be the only output of {name}' },
  NET1025: { severity: 'error', rule: 'recursive-block', message: 'block {name} instantiates itself: {chain}' },
  NET1026: { severity: 'error', rule: 'no-network', message: '{file} defines no network' },
  NET1027: { severity: 'error', rule: 'ambiguous-entry', message: '{file} defines several networks ({names}); choose one with --entry' },
  NET1028: { severity: 'error', rule: 'unknown-entry', message: '{file} has no network named {name}' },
  NET1029: { severity: 'error', rule: 'network-parameter-default', message: 'parameter {name} of network {network} needs a default value' },
  NET1030: { severity: 'error', rule: 'operand-types', message: 'operator {op} cannot be applied to {left} and {right}' },
  NET1031: { severity: 'error', rule: 'division-by-zero', message: 'division by zero' },
  NET1032: { severity: 'error', rule: 'index-out-of-range', message: 'index {index} is out of range for a {what} of length {length}' },
  NET1033: { severity: 'error', rule: 'condition-type', message: 'a condition must be a bool, got {got}' },
  NET1034: { severity: 'error', rule: 'repeat-count', message: 'a repeat count must be a non-negative int, got {got}' },
  NET1035: { severity: 'error', rule: 'dimension-not-inferable', message: 'cannot infer {name} from the shape of {input}: {dim} is not solvable for it' },
  NET1036: { severity: 'error', rule: 'unsupported-dtype', message: 'unsupported element type {dtype}; netc supports f32' },
  NET1037: { severity: 'warning', rule: 'unused-binding', message: 'binding {name} names no dimension of the inputs of {network}' },
  NET1038: { severity: 'error', rule: 'if-without-else', message: 'an if expression needs an else branch' },
  NET1039: { severity: 'error', rule: 'constant-cycle', message: 'constant {name} depends on itself' },
  NET1040: { severity: 'error', rule: 'not-callable', message: '{name} is a {what}, not an operator or block' },
  NET1041: { severity: 'error', rule: 'not-a-value', message: '{name} is a {what}, not a value' },
  NET1042: { severity: 'error', rule: 'tensor-operator', message: 'operator {op} is not defined on tensors (only +, -, * and / are)' },
  NET1043: { severity: 'error', rule: 'no-member', message: '{what} has no member {member}' },
  NET1044: { severity: 'error', rule: 'symbolic-value', message: '{use} needs a known integer, but the dimension {dim} is symbolic here' },
  NET1045: { severity: 'error', rule: 'inline-not-block', message: 'the label _ (no namespace of its own) applies only to a block call, not to {what}' },
  NET1046: { severity: 'error', rule: 'default-depends-on-input', message: 'the default of {name} uses the input sizes, so {name} cannot size the input {input}' },

  // ---- NET2xxx shapes ----
  // NET2000-NET2099: operator shape rules (ops/<family>/def.ts)
  NET2001: { severity: 'error', rule: 'channel-mismatch', message: '{op} needs the same number of channels in every operand, got {got}' },
  NET2002: { severity: 'error', rule: 'spatial-mismatch', message: '{op} needs the same spatial size in every operand, got {got}' },
  NET2003: { severity: 'error', rule: 'operand-axis-mismatch', message: '{op} operands differ on axis {axis}: {got}' },
  NET2004: { severity: 'error', rule: 'op-input-rank', message: '{op} expects {expected}, got a rank-{got} input {shape}' },
  NET2005: { severity: 'error', rule: 'groups-not-dividing', message: '{what} ({count}) is not divisible by groups={groups}' },
  NET2006: { severity: 'error', rule: 'non-positive-output', message: 'the {axis} of the {op} output would be {size}' },
  NET2007: { severity: 'error', rule: 'output-padding-too-large', message: 'output_pad={value} must be smaller than max(stride, dilation) = {max}' },
  NET2008: { severity: 'error', rule: 'pool-pad-too-large', message: 'pad={pad} is more than half the window size k={k}' },
  NET2009: { severity: 'error', rule: 'bad-argument-value', message: '{arg}={value} is invalid: {reason}' },
  NET2010: { severity: 'error', rule: 'per-axis-arity', message: '{arg} has {got} values, but the input has {rank} spatial axes' },
  NET2011: { severity: 'error', rule: 'same-padding-stride', message: 'pad="same" needs stride 1, got stride={stride}' },
  NET2012: { severity: 'error', rule: 'axis-out-of-range', message: '{arg}={value} is out of range for a rank-{rank} tensor' },
  NET2013: { severity: 'error', rule: 'broadcast-mismatch', message: '{op} cannot broadcast {a} with {b}: aligned from the last axis, each axis must be equal or 1 in one operand' },
  NET2014: { severity: 'error', rule: 'upsample-size-or-scale', message: 'upsample takes exactly one of scale and size, {detail}' },
  NET2015: { severity: 'error', rule: 'operand-rank-mismatch', message: '{op} operands have different ranks: {got}' },
  NET2016: { severity: 'warning', rule: 'linear-over-spatial', message: '{op} works on the last axis only: on {shape} it gives {out}' },
  NET2017: { severity: 'warning', rule: 'concat-batch-axis', message: '{op} along axis 0 joins batch items, not channels: {got}' },
  NET2101: { severity: 'error', rule: 'annotation-mismatch', message: '{name} has shape {got}, but its annotation says {expected}' },
  NET2102: { severity: 'error', rule: 'input-shape-mismatch', message: '{callee} expects {input}: {expected}, got {got}' },
  NET2103: { severity: 'error', rule: 'input-rank-mismatch', message: '{callee} expects {input} of rank {expected}, got rank {got}' },
  NET2104: { severity: 'note', rule: 'shape-requirement', message: '{text}' },
  NET2105: { severity: 'error', rule: 'non-positive-size', message: '{what} must be at least 1: {detail}' },
  NET2106: { severity: 'error', rule: 'unbound-dimension', message: 'no value for {names}' },
  NET2107: { severity: 'error', rule: 'requirement-violated', message: '{text}, but {detail}' },

  // ---- NET3xxx weights and tensor files ----
  NET3001: { severity: 'error', rule: 'missing-weight', message: 'weight {name} {shape} is missing from {file}' },
  NET3002: { severity: 'warning', rule: 'unused-weight', message: '{file} holds tensor {name} {shape} that no layer uses' },
  NET3003: { severity: 'error', rule: 'weight-shape-mismatch', message: 'weight {name} is {got} in {file}, expected {expected}' },
  NET3004: { severity: 'error', rule: 'input-tensor-shape-mismatch', message: 'input {name} is {got} in {source}, the network expects {expected}' },
  NET3005: { severity: 'error', rule: 'input-count-mismatch', message: 'network {network} takes {expected} input(s) ({names}), got {got}' },
  NET3006: { severity: 'error', rule: 'input-tensor-unknown', message: '{file}: tensor {tensor} is not an input of network {network} (inputs: {names})' },
  NET3007: { severity: 'error', rule: 'input-binding-conflict', message: 'input {input} has size {size} where it is declared {name}, but {name} is {bound} {source}' },
  NET3010: { severity: 'error', rule: 'tensor-file-truncated', message: '{file} is truncated: {detail}' },
  NET3011: { severity: 'error', rule: 'tensor-file-header', message: '{file} has an invalid header: {detail}' },
  NET3012: { severity: 'error', rule: 'tensor-dtype-unsupported', message: '{file}: tensor {tensor} has unsupported dtype {dtype}' },
  NET3013: { severity: 'error', rule: 'tensor-entry-invalid', message: '{file}: tensor {tensor}: {detail}' },
  NET3014: { severity: 'error', rule: 'tensor-file-too-large', message: '{file}: {detail} exceeds the limit of {limit}' },
  NET3015: { severity: 'error', rule: 'tensor-layout-unsupported', message: '{file}: {detail}' },
  NET3016: { severity: 'error', rule: 'wrong-file-kind', message: '{file} is {kind}, not {expected}' },
  NET3020: { severity: 'error', rule: 'weight-map-invalid', message: 'weight name map {file}: {detail}' },

  // ---- NET4xxx build and backends ----
  NET4001: { severity: 'error', rule: 'no-wasm-kernel', message: 'operator {op} ({node}) has no WebAssembly kernel' },
  NET4002: { severity: 'error', rule: 'wasm-memory-too-large', message: 'the model needs {bytes} bytes of linear memory, above the 4 GiB of 32-bit WebAssembly' },
  NET4003: { severity: 'error', rule: 'build-weight-missing', message: 'cannot build {node}: weight {name} has no data of its shape' },
  NET4004: { severity: 'error', rule: 'memory-plan-invalid', message: 'the memory plan is invalid: {detail}' },
  NET4005: { severity: 'error', rule: 'weights-required', message: 'network {network} has {count} weight tensor(s): give weights or a random-weights seed to build it' },
  NET4006: { severity: 'error', rule: 'unknown-pass', message: 'unknown optimisation pass(es): {names}' },

  // ---- NET5xxx ONNX ----
  NET5001: { severity: 'error', rule: 'onnx-decode-failed', message: '{file} is not a readable ONNX model: {detail}' },
  NET5002: { severity: 'error', rule: 'onnx-model-invalid', message: '{file}: {detail}' },
  NET5003: { severity: 'error', rule: 'onnx-unknown-input', message: '{file}: node {node} reads {input}, which no node, graph input or initializer provides' },
  NET5004: { severity: 'error', rule: 'onnx-graph-cycle', message: '{file}: the graph has a cycle through {nodes}' },
  NET5005: { severity: 'error', rule: 'onnx-tensor-invalid', message: '{file}: tensor {tensor}: {detail}' },
  NET5006: { severity: 'error', rule: 'onnx-external-data', message: '{file}: tensor {tensor} keeps its data in {location}: {detail}' },
  NET5007: { severity: 'error', rule: 'onnx-too-large', message: '{file}: {detail} exceeds the limit of {limit}' },
  NET5008: { severity: 'error', rule: 'onnx-opset-unsupported', message: '{file} uses {domain} opset {opset}; netc imports opsets 11 to 21 of the default domain' },
  NET5010: { severity: 'error', rule: 'onnx-unsupported-ops', message: '{file} uses {count} operator types netc cannot import: {list}' },
  NET5011: { severity: 'error', rule: 'onnx-unsupported-use', message: '{file}: node {node} ({op}): {detail}' },
  NET5012: { severity: 'error', rule: 'onnx-shape-mismatch', message: '{file}: node {node} ({op}): {detail}' },
  NET5013: { severity: 'warning', rule: 'onnx-no-source', message: '{file}: imported, but no .net source can say it: {detail}' },
  NET5014: { severity: 'warning', rule: 'onnx-renamed-weights', message: '{file}: {detail}; {count} weights are named differently in the .net source, and the weight map written beside it renames them' },
  NET5020: { severity: 'error', rule: 'onnx-export-unsupported', message: 'cannot export {node} ({op}) to ONNX: {detail}' },
  NET5021: { severity: 'error', rule: 'onnx-export-opset', message: 'cannot export to ONNX opset {opset}: netc writes opsets 11 to 21' },

  // ---- NET6xxx command line and configuration ----
  NET6001: { severity: 'warning', rule: 'config-error-rule', message: '{file} sets {rule} to {setting}, but {code} is an error; only warnings and notes can be turned off or demoted' },

  // ---- NET9xxx limits ----
  NET9001: { severity: 'error', rule: 'instantiation-depth', message: 'blocks are nested more than {limit} deep' },
  NET9002: { severity: 'error', rule: 'expression-depth', message: 'expression nested more than {limit} deep' },
  NET9003: { severity: 'error', rule: 'repeat-limit', message: 'repeat count {count} exceeds the limit of {limit}' },
  NET9004: { severity: 'error', rule: 'layer-limit', message: 'the network has more than {limit} layers' },
  NET9005: { severity: 'error', rule: 'dimension-limit', message: 'size {dim} exceeds the limit of 2^31 - 1' },
  NET9006: { severity: 'error', rule: 'instantiation-steps', message: 'instantiation takes more than {limit} steps' },
  NET9007: { severity: 'error', rule: 'tensor-size-limit', message: '{what} needs {bytes} bytes, more than the 4 GiB a 32-bit WebAssembly memory can hold' },
  NET9008: { severity: 'error', rule: 'source-size-limit', message: '{file} is larger than {limit} bytes, the limit for a source file' },
  NET9009: { severity: 'error', rule: 'import-depth', message: 'imports are nested more than {limit} deep' },
} satisfies Record<string, CatalogueEntry>;

export type DiagnosticCode = keyof typeof catalogue;

/** Fill `{name}` placeholders of a catalogue message. */
export function formatMessage(code: DiagnosticCode, args: Record<string, string | number>): string {
  const entry: CatalogueEntry = catalogue[code];
  return entry.message.replace(/\{(\w+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m));
}
