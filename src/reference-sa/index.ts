export {
  type ReferenceSliceAuthority, type ReferenceSliceAuthorityOptions, type SliceRecord, SA_CODES, SLICE_AUTHORITY_PATHS, startReferenceSliceAuthority,
} from './reference-sa';
