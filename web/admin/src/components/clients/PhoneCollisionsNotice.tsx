import { useState } from 'react';
import { api } from '../../api';
import { useResource } from '../../hooks/useResource';
import { formatPhone } from '../../phone';
import { Link } from '../../router';
import { ConfirmButton } from '../ConfirmButton';
import { Notice } from '../ErrorNotice';
import { usePhoneCollisionsText } from './phoneCollisionsText';

/**
 * On the Clients page, when the phone migration found clients with the same number: per
 * number, the client holding it and the others, each with a "Merge" action (asks first).
 * Renders nothing when there are none (or the list cannot be loaded: the page still works).
 */
export function PhoneCollisionsNotice({ onMerged }: { onMerged: () => void }) {
  const text = usePhoneCollisionsText();
  const collisions = useResource((signal) => api.clientCollisions(signal), []);
  const [done, setDone] = useState<string | null>(null);
  const groups = collisions.data?.groups ?? [];
  const count = groups.reduce((sum, group) => sum + group.duplicates.length, 0);

  return (
    <>
      {done !== null && <Notice tone="success">{done}</Notice>}
      {count > 0 && (
        <div className="phone-collisions" data-testid="phone-collisions">
          <Notice tone="warning">
            <p className="strong">{text.title(count)}</p>
            <p>{text.lead}</p>
            <ul aria-label={text.list}>
              {groups.map((group) => (
                <li key={group.phone}>
                  <span className="strong">{formatPhone(group.phone)}</span>:{' '}
                  <Link to={`/clients/${group.holder.id}`}>{group.holder.name}</Link>{' '}
                  {text.portraits(group.holder.portraitCount)}
                  <ul>
                    {group.duplicates.map((duplicate) => (
                      <li key={duplicate.id}>
                        <Link to={`/clients/${duplicate.id}`}>{duplicate.name}</Link>{' '}
                        {text.portraits(duplicate.portraitCount)}, {text.oldNumber(duplicate.phone)}{' '}
                        <ConfirmButton
                          title={text.mergeTitle}
                          message={text.mergeMessage(duplicate.name, group.holder.name)}
                          confirmLabel={text.mergeConfirm}
                          onConfirm={async () => {
                            await api.mergeClient(duplicate.id, group.holder.id);
                            setDone(text.merged(duplicate.name, group.holder.name));
                            collisions.reload();
                            onMerged();
                          }}
                        >
                          {text.merge}
                        </ConfirmButton>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </Notice>
        </div>
      )}
    </>
  );
}
