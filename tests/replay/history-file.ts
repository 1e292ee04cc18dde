import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';

const { temporal } = proto;

type History = proto.temporal.api.history.v1.IHistory;
const HistoryMessage = temporal.api.history.v1.History;

/** Marks files written by historyToFile (protobufjs object form, not the Temporal CLI/UI JSON export). */
const FORMAT = 'protobufjs-object/v1';

/**
 * Workflow histories as JSON files. The SDK's historyToJSON/historyFromJSON fail in this install
 * ("type must be a Type": @temporalio/common and @temporalio/proto each carry their own protobufjs
 * copy), so histories are stored with the proto classes' own toObject/fromObject, which round-trip
 * exactly. Files exported by the Temporal CLI or UI (standard proto3 JSON) are read with
 * historyFromJSON, which works once the two protobufjs copies are deduplicated.
 */
export function historyToFile(history: History): string {
  const object = HistoryMessage.toObject(HistoryMessage.fromObject(history), { longs: String, enums: String, bytes: String });
  return `${JSON.stringify({ format: FORMAT, ...object }, null, 1)}\n`;
}

export function historyFromFile(text: string): History {
  const parsed = JSON.parse(text) as { format?: string; events?: unknown[] };
  if (parsed.format === FORMAT) {
    const { format: _format, ...object } = parsed;
    return HistoryMessage.fromObject(object);
  }
  return historyFromJSON(parsed);
}
