import { parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CorpusFileError } from './errors';
import type { RowSink } from './rowSink';
import type { CorpusFile } from './source';
import { errorMessage } from '../errorMessage';

/**
 * Parquet, one row group at a time (hyparquet reads only the pages of the requested rows), with
 * every compression codec hyparquet-compressors knows. `afterRowGroup` gets an estimate of the
 * bytes read so far and returns false to stop early.
 */
export async function readParquet(
  file: CorpusFile,
  sink: RowSink,
  afterRowGroup: (bytesRead: number) => Promise<boolean>,
): Promise<void> {
  const buffer = file.randomAccess;
  if (buffer === undefined) {
    throw new CorpusFileError(
      file.name,
      `${file.name} is a Parquet file, which can only be read with random access; none was given`,
    );
  }
  const unreadable = (error: unknown): CorpusFileError =>
    new CorpusFileError(
      file.name,
      `${file.name} is not a readable Parquet file: ${errorMessage(error)}`,
    );
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw unreadable(error);
  }
  const totalRows = Number(metadata.num_rows);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, compressors });
    } catch (error) {
      throw unreadable(error);
    }
    for (let k = 0; k < rows.length; k++) sink.row(rows[k], rowStart + k + 1);
    const bytesRead = totalRows > 0 ? Math.round((file.size * rowEnd) / totalRows) : file.size;
    if (!(await afterRowGroup(bytesRead))) return;
    rowStart = rowEnd;
  }
}
