// mynaconnect_authenticate: a signature-only login (docs/page-api.md).

import { authenticateParams, requireOrigin } from '../../lib/params.js';
import { consent } from '../consentqueue.js';

export const methods = {
  mynaconnect_authenticate({ port, origin }, params) {
    requireOrigin(origin);
    const { challengeNonce } = authenticateParams(params);
    return consent(port, origin, { kind: 'login', nonce: challengeNonce });
  },
};
