export { AmClient, TRANSCRIPT_BODY_LIMIT, transcriptBody, type AmClientOptions, type CallResult, type RequestTap } from './am-client';
export { Transcript, type Exchange } from './transcript';
