export { AmClient, TRANSCRIPT_BODY_LIMIT, transcriptBody, decodeInThread, type AmClientOptions, type CallObserver, type CallResult, type RequestTap, type ResponseDecoder } from './am-client';
export { Transcript, type Exchange } from './transcript';
