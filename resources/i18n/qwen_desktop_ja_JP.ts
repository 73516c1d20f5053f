<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>The list of third-party licences is missing from this build.</source>
        <translation>このビルドにはサードパーティライセンスの一覧が含まれていません。</translation>
    </message>
    <message>
        <source>About %1</source>
        <translation>%1 について</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>バージョン %1</translation>
    </message>
    <message>
        <source>A desktop chat client for Alibaba Cloud Model Studio and the Qwen models.</source>
        <translation>Alibaba Cloud Model Studio と Qwen モデルのためのデスクトップチャットクライアント。</translation>
    </message>
    <message>
        <source>Licensed under the %1.</source>
        <translation>%1 の下でライセンスされています。</translation>
    </message>
    <message>
        <source>Built with Qt %1 (PySide6 %2), used under the LGPLv3 and linked dynamically.</source>
        <translation>Qt %1（PySide6 %2）で構築。LGPLv3 に基づき動的リンクで使用しています。</translation>
    </message>
    <message>
        <source>Third-party software</source>
        <translation>サードパーティソフトウェア</translation>
    </message>
</context>
<context>
    <name>ActionBar</name>
    <message>
        <source>interrupted</source>
        <translation>中断</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Something unexpected went wrong. Your conversations are saved; the details are in the log file.</source>
        <translation>予期しないエラーが発生しました。会話は保存されています。詳細はログファイルをご覧ください。</translation>
    </message>
</context>
<context>
    <name>AppearancePage</name>
    <message>
        <source>Follow the system</source>
        <translation>システムに合わせる</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation>Enter で送信、Shift+Enter で改行</translation>
    </message>
    <message>
        <source>Ctrl+Enter sends, Enter starts a new line</source>
        <translation>Ctrl+Enter で送信、Enter で改行</translation>
    </message>
    <message>
        <source>System</source>
        <translation>システム</translation>
    </message>
    <message>
        <source>Restart Qwen Desktop to change the language.</source>
        <translation>言語を変更するには Qwen Desktop を再起動してください。</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>今すぐ再起動</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>テーマ</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>送信方法</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> pt</translation>
    </message>
    <message>
        <source>Ctrl+= and Ctrl+- change it too; Ctrl+0 returns to the system&apos;s size</source>
        <translation>Ctrl+= と Ctrl+- でも変更できます。Ctrl+0 でシステムのサイズに戻ります</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>文字サイズ</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window closes, so replies finish in the background</source>
        <translation>ウィンドウを閉じてもトレイで動作を続け、返信をバックグラウンドで完了させる</translation>
    </message>
    <message>
        <source>This desktop shows no tray icons.</source>
        <translation>このデスクトップにはトレイアイコンが表示されません。</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>ウィンドウ</translation>
    </message>
    <message>
        <source> s without progress</source>
        <translation> 秒間進展なし</translation>
    </message>
    <message>
        <source> min in all</source>
        <translation> 分（合計）</translation>
    </message>
    <message>
        <source>A reply is given up when the service sends nothing new for this long, or when it takes longer than this in all; what arrived is kept</source>
        <translation>サービスがこの時間何も新しく送らないとき、または合計でこの時間を超えたとき、返信を打ち切ります。届いた部分は残ります</translation>
    </message>
    <message>
        <source>Give up a reply after</source>
        <translation>返信の打ち切り</translation>
    </message>
</context>
<context>
    <name>AssistantActions</name>
    <message>
        <source>New conversation &amp;with…</source>
        <translation>アシスタントで新しい会話(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Assistants…</source>
        <translation>アシスタント(&amp;A)…</translation>
    </message>
    <message>
        <source>Save settings as an &amp;assistant…</source>
        <translation>設定をアシスタントとして保存(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Update the assistant from this conversation</source>
        <translation>この会話でアシスタントを更新(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Detach from the assistant</source>
        <translation>アシスタントから切り離す(&amp;D)</translation>
    </message>
    <message>
        <source>That assistant no longer exists.</source>
        <translation>そのアシスタントはもう存在しません。</translation>
    </message>
    <message>
        <source>New conversation with %1</source>
        <translation>新しい会話：%1</translation>
    </message>
    <message>
        <source>The assistant “%1” now has this conversation&apos;s settings.</source>
        <translation>アシスタント「%1」にこの会話の設定を保存しました。</translation>
    </message>
</context>
<context>
    <name>AssistantChip</name>
    <message>
        <source>No assistant</source>
        <translation>アシスタントなし</translation>
    </message>
    <message>
        <source>This conversation does not follow an assistant</source>
        <translation>この会話はアシスタントに従っていません</translation>
    </message>
    <message>
        <source>Started from the assistant “%1”</source>
        <translation>アシスタント「%1」から開始</translation>
    </message>
</context>
<context>
    <name>AssistantEditor</name>
    <message>
        <source>For example: Translator</source>
        <translation>例：翻訳者</translation>
    </message>
    <message>
        <source>An emoji or one or two letters; empty shows the name&apos;s first letter</source>
        <translation>絵文字か 1～2 文字。空欄なら名前の最初の文字を表示</translation>
    </message>
    <message>
        <source>What the assistant is told before every conversation, for example: you translate between English and Chinese.</source>
        <translation>毎回の会話の前にアシスタントに伝える内容。例：あなたは英語と日本語の間で翻訳します。</translation>
    </message>
    <message>
        <source>Temperature and generation parameters</source>
        <translation>温度と生成パラメーター</translation>
    </message>
    <message>
        <source>Settings left as in Settings&apos; defaults are not stored: they follow the defaults.</source>
        <translation>「設定」の既定値のままの項目は保存されず、既定値に従います。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Icon and colour</source>
        <translation>アイコンと色</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>システムプロンプト</translation>
    </message>
    <message>
        <source>Model and settings</source>
        <translation>モデルと設定</translation>
    </message>
    <message>
        <source>No colour</source>
        <translation>色なし</translation>
    </message>
</context>
<context>
    <name>AssistantFiles</name>
    <message>
        <source>Assistants (*.json)</source>
        <translation>アシスタント (*.json)</translation>
    </message>
    <message>
        <source>Export assistants</source>
        <translation>アシスタントをエクスポート</translation>
    </message>
    <message>
        <source>assistants</source>
        <translation>アシスタント</translation>
    </message>
    <message>
        <source>Exported %1 assistants to %2.</source>
        <translation>%1 件のアシスタントを %2 にエクスポートしました。</translation>
    </message>
    <message>
        <source>Import assistants</source>
        <translation>アシスタントをインポート</translation>
    </message>
    <message>
        <source>Imported %1 assistants from %2.</source>
        <translation>%2 から %1 件のアシスタントをインポートしました。</translation>
    </message>
    <message>
        <source>%1 already here were replaced.</source>
        <translation>既存の %1 件を置き換えました。</translation>
    </message>
</context>
<context>
    <name>AssistantLibraryDialog</name>
    <message>
        <source>Assistants</source>
        <translation>アシスタント</translation>
    </message>
    <message>
        <source>Search names and prompts</source>
        <translation>名前とプロンプトを検索</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新規</translation>
    </message>
    <message>
        <source>A new assistant from scratch</source>
        <translation>白紙から新しいアシスタント</translation>
    </message>
    <message>
        <source>From this conversation</source>
        <translation>この会話から作成</translation>
    </message>
    <message>
        <source>A new assistant with the settings of the open conversation</source>
        <translation>開いている会話の設定で新しいアシスタントを作成</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>インポート…</translation>
    </message>
    <message>
        <source>Add the assistants of a JSON file</source>
        <translation>JSON ファイルのアシスタントを追加</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>エクスポート…</translation>
    </message>
    <message>
        <source>Write every assistant to a JSON file</source>
        <translation>すべてのアシスタントを JSON ファイルに書き出す</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Start a conversation</source>
        <translation>会話を始める</translation>
    </message>
    <message>
        <source>A new conversation with this assistant</source>
        <translation>このアシスタントで新しい会話</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Make default</source>
        <translation>既定にする</translation>
    </message>
    <message>
        <source>New conversations (Ctrl+N) start from this assistant</source>
        <translation>新しい会話（Ctrl+N）をこのアシスタントで始めます</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>default</source>
        <translation>既定</translation>
    </message>
    <message>
        <source>New assistant</source>
        <translation>新しいアシスタント</translation>
    </message>
    <message>
        <source>My assistant</source>
        <translation>マイアシスタント</translation>
    </message>
    <message>
        <source>Name it, then Save.</source>
        <translation>名前を付けて保存してください。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>保存しました。</translation>
    </message>
    <message>
        <source>Copied: rename it and Save.</source>
        <translation>複製しました。名前を変えて保存してください。</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>「%1」を削除しました。</translation>
    </message>
    <message>
        <source>“%1” is back.</source>
        <translation>「%1」を戻しました。</translation>
    </message>
    <message>
        <source>New conversations now start from “%1”.</source>
        <translation>新しい会話は「%1」で始まります。</translation>
    </message>
</context>
<context>
    <name>AssistantMessageWidget</name>
    <message>
        <source>Regenerate</source>
        <translation>再生成</translation>
    </message>
    <message>
        <source>Regenerate reply</source>
        <translation>応答を再生成</translation>
    </message>
    <message>
        <source>Context…</source>
        <translation>コンテキスト…</translation>
    </message>
    <message>
        <source>Show what was sent with this request</source>
        <translation>このリクエストで送信した内容を表示</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>続ける</translation>
    </message>
    <message>
        <source>Continue this reply where it was cut off</source>
        <translation>途切れたところからこの返信を続ける</translation>
    </message>
    <message>
        <source>Delete this reply</source>
        <translation>この返信を削除</translation>
    </message>
    <message>
        <source>cut off at the output limit</source>
        <translation>出力上限で途切れました</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>Show the rest of this reply (%1 more characters)</source>
        <translation>この返答の残りを表示（あと %1 文字）</translation>
    </message>
</context>
<context>
    <name>AssistantOffer</name>
    <message>
        <source>Update the assistant</source>
        <translation>アシスタントを更新</translation>
    </message>
    <message>
        <source>Detach</source>
        <translation>切り離す</translation>
    </message>
    <message>
        <source>Keep these settings; the conversation no longer follows the assistant</source>
        <translation>この設定のままにし、会話はアシスタントに従わなくなります</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>今はしない</translation>
    </message>
    <message>
        <source>These settings differ from the assistant “%1”.</source>
        <translation>この設定はアシスタント「%1」と異なります。</translation>
    </message>
    <message>
        <source>Save this conversation&apos;s settings into “%1” for its next conversations</source>
        <translation>この会話の設定を「%1」に保存し、次の会話から使います</translation>
    </message>
</context>
<context>
    <name>AssistantPicker</name>
    <message>
        <source>New conversation with…</source>
        <translation>アシスタントで新しい会話…</translation>
    </message>
    <message>
        <source>Type to find an assistant, Enter to start</source>
        <translation>入力してアシスタントを検索、Enter で開始</translation>
    </message>
    <message>
        <source>No assistant matches.</source>
        <translation>一致するアシスタントはありません。</translation>
    </message>
    <message>
        <source>%1 (default model)</source>
        <translation>%1（既定のモデル）</translation>
    </message>
    <message>
        <source>default</source>
        <translation>既定</translation>
    </message>
    <message>
        <source>Manage assistants…</source>
        <translation>アシスタントを管理…</translation>
    </message>
</context>
<context>
    <name>Assistants</name>
    <message>
        <source>The assistant could not be saved.</source>
        <translation>アシスタントを保存できませんでした。</translation>
    </message>
</context>
<context>
    <name>AttachmentTray</name>
    <message>
        <source>Preparing attachments…</source>
        <translation>添付ファイルを準備しています…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Stop reading the files still being prepared</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>CatalogRow</name>
    <message>
        <source>Install a newer catalog…</source>
        <translation>新しいカタログをインストール…</translation>
    </message>
    <message>
        <source>Catalog of %1 (%2 models)</source>
        <translation>%1 版カタログ（%2 モデル）</translation>
    </message>
    <message>
        <source>Choose a model catalog file</source>
        <translation>モデルカタログのファイルを選択</translation>
    </message>
    <message>
        <source>Model catalog (*.json)</source>
        <translation>モデルカタログ (*.json)</translation>
    </message>
    <message>
        <source>Checking the catalog…</source>
        <translation>カタログを確認しています…</translation>
    </message>
    <message>
        <source>%1 The current catalog (%2) is kept.</source>
        <translation>%1 現在のカタログ（%2）はそのままです。</translation>
    </message>
    <message>
        <source>Installed the model catalog of %1 (%2 models).</source>
        <translation>%1 版のモデルカタログ（%2 モデル）をインストールしました。</translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <source>Command palette</source>
        <translation>コマンドパレット</translation>
    </message>
    <message>
        <source>Type an action or a conversation&apos;s title</source>
        <translation>操作名または会話のタイトルを入力</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>新しい会話</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>会話</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Images (%1)</source>
        <translation>画像 (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>添付</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>ファイルを添付</translation>
    </message>
    <message>
        <source>Images and documents (%1)</source>
        <translation>画像とドキュメント (%1)</translation>
    </message>
    <message>
        <source>Documents (%1)</source>
        <translation>ドキュメント (%1)</translation>
    </message>
    <message>
        <source>Attach images or documents (or paste or drop them here)</source>
        <translation>画像やドキュメントを添付（ここに貼り付けやドロップもできます）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the reply (Esc)</source>
        <translation>応答を停止 (Esc)</translation>
    </message>
    <message>
        <source>Message Qwen… (Enter to send, Shift+Enter for a new line)</source>
        <translation>Qwen へのメッセージ…（Enter で送信、Shift+Enter で改行）</translation>
    </message>
    <message>
        <source>Message Qwen… (Ctrl+Enter to send)</source>
        <translation>Qwen へのメッセージ…（Ctrl+Enter で送信）</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>送信 (Enter)</translation>
    </message>
</context>
<context>
    <name>ComposerEdit</name>
    <message>
        <source>Message Qwen… (Enter to send, Shift+Enter for a new line)</source>
        <translation>Qwen へのメッセージ…（Enter で送信、Shift+Enter で改行）</translation>
    </message>
</context>
<context>
    <name>ContextActions</name>
    <message>
        <source>Indexing stopped: rounds not yet indexed cannot be retrieved until it runs again.</source>
        <translation>インデックス作成を停止しました。未処理のターンは、再実行するまで検索できません。</translation>
    </message>
    <message>
        <source>Retrieval is ready: %1 earlier rounds indexed.</source>
        <translation>検索の準備ができました：過去 %1 ターンをインデックス化しました。</translation>
    </message>
    <message>
        <source>Indexing for retrieval failed: %1 This conversation now sends the last %2 rounds.</source>
        <translation>検索用のインデックス作成に失敗しました：%1 この会話では直近 %2 ターンを送信します。</translation>
    </message>
    <message>
        <source>What will be sent</source>
        <translation>送信される内容</translation>
    </message>
    <message>
        <source>This reply has no record of what was sent.</source>
        <translation>この応答には送信内容の記録がありません。</translation>
    </message>
    <message>
        <source>Context of this reply</source>
        <translation>この応答のコンテキスト</translation>
    </message>
</context>
<context>
    <name>ContextInspector</name>
    <message>
        <source>System prompt</source>
        <translation>システムプロンプト</translation>
    </message>
    <message>
        <source>Summary of earlier messages</source>
        <translation>以前のメッセージの要約</translation>
    </message>
    <message>
        <source>Retrieved rounds</source>
        <translation>検索されたターン</translation>
    </message>
    <message>
        <source>Recent rounds</source>
        <translation>直近のターン</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>新しいメッセージ</translation>
    </message>
    <message>
        <source>Kept by the service (not sent again)</source>
        <translation>サービス側で保持（再送しない）</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>送信されない</translation>
    </message>
    <message>
        <source>Full history</source>
        <translation>全履歴</translation>
    </message>
    <message>
        <source>Last N rounds</source>
        <translation>直近 N ターン</translation>
    </message>
    <message>
        <source>Rolling summary</source>
        <translation>ローリング要約</translation>
    </message>
    <message>
        <source>Retrieval</source>
        <translation>検索</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>%1 · %2 tokens of %3 (budget %4)</source>
        <translation>%1 · %2 / %3 トークン（上限 %4）</translation>
    </message>
    <message>
        <source>system</source>
        <translation>システム</translation>
    </message>
    <message>
        <source>summary</source>
        <translation>要約</translation>
    </message>
    <message>
        <source>%1 messages folded into it</source>
        <translation>%1 件のメッセージをまとめています</translation>
    </message>
    <message>
        <source>picked when you send, by similarity to your message</source>
        <translation>送信時にメッセージとの類似度で選ばれます</translation>
    </message>
    <message>
        <source>the model did not see these</source>
        <translation>モデルはこれらを参照していません</translation>
    </message>
    <message>
        <source>This request would not fit the input window under the current policy.</source>
        <translation>現在の方式では、このリクエストは入力上限に収まりません。</translation>
    </message>
    <message>
        <source>Explicit cache: the first %1 tokens are marked for caching.</source>
        <translation>明示的キャッシュ：先頭の %1 トークンをキャッシュ対象にしています。</translation>
    </message>
    <message>
        <source>Images: %1 tokens of the total.</source>
        <translation>画像：合計のうち %1 トークン。</translation>
    </message>
    <message>
        <source>Learned from the service: %1</source>
        <translation>サービスから学んだこと：%1</translation>
    </message>
    <message>
        <source>Parameters sent: %1</source>
        <translation>送信したパラメーター：%1</translation>
    </message>
    <message>
        <source>Parameters sent: none (the model&apos;s defaults)</source>
        <translation>送信したパラメーター：なし（モデルの既定値）</translation>
    </message>
    <message>
        <source>Responses API: the service keeps the earlier turns, so only the new message is sent (continuing from response %1).</source>
        <translation>Responses API：以前のターンはサービス側が保持しているため、新しいメッセージだけを送信します（レスポンス %1 から継続）。</translation>
    </message>
    <message>
        <source>The service no longer kept the earlier turns (their response expired or was deleted), so this request carried the history again, as the context policy built it.</source>
        <translation>以前のターンはサービス側に残っていなかった（レスポンスが期限切れか削除された）ため、このリクエストではコンテキストポリシーに従って履歴を再送しました。</translation>
    </message>
    <message>
        <source>Responses API: the service keeps this turn, so the next request sends only the new message.</source>
        <translation>Responses API：このターンはサービス側が保持するため、次のリクエストでは新しいメッセージだけを送信します。</translation>
    </message>
    <message>
        <source>The service reported %1 input tokens, %2 of them read from its cache.</source>
        <translation>サービスの報告では入力は %1 トークンで、そのうち %2 トークンはキャッシュから読み込まれました。</translation>
    </message>
    <message>
        <source>You</source>
        <translation>あなた</translation>
    </message>
    <message>
        <source>Qwen</source>
        <translation>Qwen</translation>
    </message>
</context>
<context>
    <name>ContextMeter</name>
    <message>
        <source>System prompt</source>
        <translation>システムプロンプト</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>要約</translation>
    </message>
    <message>
        <source>Retrieved rounds</source>
        <translation>検索されたターン</translation>
    </message>
    <message>
        <source>Recent rounds</source>
        <translation>直近のターン</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>新しいメッセージ</translation>
    </message>
    <message>
        <source>of which images</source>
        <translation>うち画像</translation>
    </message>
    <message>
        <source>This conversation no longer fits the model&apos;s input window: switch the context policy to send it.</source>
        <translation>この会話はモデルの入力上限を超えています。送信するにはコンテキストの方式を切り替えてください。</translation>
    </message>
</context>
<context>
    <name>ContextMeterWidget</name>
    <message>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>Show what fills the next request</source>
        <translation>次のリクエストの内訳を表示</translation>
    </message>
    <message>
        <source>What will be sent</source>
        <translation>送信される内容</translation>
    </message>
    <message>
        <source>Use a rolling summary</source>
        <translation>ローリング要約を使う</translation>
    </message>
    <message>
        <source>Switch to last %1 rounds</source>
        <translation>直近 %1 ターンに切り替え</translation>
    </message>
    <message>
        <source>%1 · %2 of %3 tokens</source>
        <translation>%1 · %2 / %3 トークン</translation>
    </message>
    <message>
        <source>Next request (estimate)</source>
        <translation>次のリクエスト（推定）</translation>
    </message>
    <message>
        <source>Budget: %1 tokens (room kept for the reply)</source>
        <translation>上限：%1 トークン（応答用の余裕を確保済み）</translation>
    </message>
    <message>
        <source>%1 tokens: only the new message; the service keeps %2 earlier messages</source>
        <translation>%1 トークン：新しいメッセージのみ。以前の %2 件のメッセージはサービス側が保持</translation>
    </message>
    <message>
        <source>Responses API: the service holds this conversation&apos;s history, so the next request carries only your new message. After the reply, the inspector shows what the service counted as input.</source>
        <translation>Responses API：この会話の履歴はサービス側が保持しているため、次のリクエストには新しいメッセージだけが含まれます。返信後、インスペクターでサービスが入力として数えた量を確認できます。</translation>
    </message>
</context>
<context>
    <name>ConversationHeader</name>
    <message>
        <source>New conversation</source>
        <translation>新しい会話</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>入力 %1 · 出力 %2</translation>
    </message>
    <message>
        <source>%1% cached</source>
        <translation>%1% キャッシュ</translation>
    </message>
    <message>
        <source>This conversation so far: %1 input tokens (%2 from the cache), %3 output tokens (%4 reasoning)</source>
        <translation>この会話の累計：入力 %1 トークン（うちキャッシュ %2）、出力 %3 トークン（うち思考 %4）</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>New conversation</source>
        <translation>新しい会話</translation>
    </message>
    <message>
        <source>Pinned</source>
        <translation>ピン留め</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨日</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>過去 7 日間</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>それ以前</translation>
    </message>
</context>
<context>
    <name>ConversationSettingsBar</name>
    <message>
        <source>OpenAI-compatible</source>
        <translation>OpenAI 互換</translation>
    </message>
    <message>
        <source>DashScope native</source>
        <translation>DashScope ネイティブ</translation>
    </message>
    <message>
        <source>Responses API (history kept by the service)</source>
        <translation>Responses API（履歴はサービス側で保持）</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <source>On</source>
        <translation>オン</translation>
    </message>
    <message>
        <source>On with budget</source>
        <translation>オン（上限あり）</translation>
    </message>
    <message>
        <source>Full history</source>
        <translation>全履歴</translation>
    </message>
    <message>
        <source>Last N rounds</source>
        <translation>直近 N ターン</translation>
    </message>
    <message>
        <source>Rolling summary</source>
        <translation>ローリング要約</translation>
    </message>
    <message>
        <source>Retrieval</source>
        <translation>検索</translation>
    </message>
    <message>
        <source>Auto: the model decides</source>
        <translation>自動：モデルが判断</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>常に</translation>
    </message>
    <message>
        <source>This model does not think</source>
        <translation>このモデルは思考しません</translation>
    </message>
    <message>
        <source>This model always thinks</source>
        <translation>このモデルは常に思考します</translation>
    </message>
    <message>
        <source>Whether the model reasons before it answers</source>
        <translation>モデルが回答の前に思考するかどうか</translation>
    </message>
    <message>
        <source>Listed by the region on %1; not in the catalog: the app learns what it can do from the service&apos;s answers</source>
        <translation>%1 にリージョンが提供；カタログにはありません：できることはサービスの応答から学びます</translation>
    </message>
    <message>
        <source>Models of the catalog of %1 and the region&apos;s list of %2</source>
        <translation>%1 版カタログとリージョンの %2 時点の一覧のモデル</translation>
    </message>
    <message>
        <source>Models of the catalog of %1</source>
        <translation>%1 版カタログのモデル</translation>
    </message>
    <message>
        <source>Region: each has its own API key</source>
        <translation>リージョン：リージョンごとに API キーが異なります</translation>
    </message>
    <message>
        <source>Wire protocol</source>
        <translation>通信プロトコル</translation>
    </message>
    <message>
        <source>Model: pick one or type any model name</source>
        <translation>モデル：一覧から選ぶか、任意のモデル名を入力</translation>
    </message>
    <message>
        <source>Most tokens the model may spend thinking</source>
        <translation>モデルが思考に使える最大トークン数</translation>
    </message>
    <message>
        <source>What earlier messages are sent</source>
        <translation>送信する過去のメッセージ</translation>
    </message>
    <message>
        <source>How many recent rounds are sent</source>
        <translation>送信する直近のターン数</translation>
    </message>
    <message>
        <source>N = </source>
        <translation>N = </translation>
    </message>
    <message>
        <source>System prompt and temperature</source>
        <translation>システムプロンプトと温度</translation>
    </message>
    <message>
        <source>More</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>コンテキスト</translation>
    </message>
    <message>
        <source>%1: pick a model or type any model name</source>
        <translation>%1：一覧から選ぶか、任意のモデル名を入力</translation>
    </message>
</context>
<context>
    <name>CustomRegionForm</name>
    <message>
        <source>Custom region</source>
        <translation>カスタムリージョン</translation>
    </message>
    <message>
        <source>e.g. my-proxy</source>
        <translation>例：my-proxy</translation>
    </message>
    <message>
        <source>e.g. Company gateway</source>
        <translation>例：社内ゲートウェイ</translation>
    </message>
    <message>
        <source>Add region</source>
        <translation>リージョンを追加</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>ベース URL</translation>
    </message>
    <message>
        <source>New custom region</source>
        <translation>新しいカスタムリージョン</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 を編集</translation>
    </message>
    <message>
        <source>Save region</source>
        <translation>リージョンを保存</translation>
    </message>
</context>
<context>
    <name>DataActions</name>
    <message>
        <source>Markdown, to read (*.md)</source>
        <translation>Markdown（閲覧用） (*.md)</translation>
    </message>
    <message>
        <source>Markdown with every version of replies (*.md)</source>
        <translation>Markdown（返信のすべてのバージョンを含む） (*.md)</translation>
    </message>
    <message>
        <source>JSON, to import again (*.json)</source>
        <translation>JSON（再インポート用） (*.json)</translation>
    </message>
    <message>
        <source>Qwen Desktop backups (*.zip)</source>
        <translation>Qwen Desktop のバックアップ (*.zip)</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>エクスポート…</translation>
    </message>
    <message>
        <source>Export all conversations…</source>
        <translation>すべての会話を書き出す…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>インポート…</translation>
    </message>
    <message>
        <source>Back up data…</source>
        <translation>データをバックアップ…</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>バックアップから復元…</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>データ</translation>
    </message>
    <message>
        <source>Export, import, back up and restore</source>
        <translation>エクスポート、インポート、バックアップと復元</translation>
    </message>
    <message>
        <source>this conversation</source>
        <translation>この会話</translation>
    </message>
    <message>
        <source>all conversations</source>
        <translation>すべての会話</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1をエクスポート</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>会話をインポート</translation>
    </message>
    <message>
        <source>Back up data into a folder</source>
        <translation>データをフォルダーにバックアップ</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>バックアップから復元</translation>
    </message>
    <message>
        <source>The backup is ready (conversations in it: %1): restart Qwen Desktop to restore it. The current data will be kept beside it, not deleted.</source>
        <translation>バックアップの準備ができました（会話数：%1）。Qwen Desktop を再起動すると復元されます。現在のデータは削除されず、横に保管されます。</translation>
    </message>
    <message>
        <source>Exported %1 to %2.</source>
        <translation>%1を %2 に書き出しました。</translation>
    </message>
    <message>
        <source>Imported %1.</source>
        <translation>%1を読み込みました。</translation>
    </message>
    <message>
        <source>1 conversation</source>
        <translation>1 件の会話</translation>
    </message>
    <message>
        <source>%1 conversations</source>
        <translation>%1 件の会話</translation>
    </message>
    <message>
        <source>Backed up to %1 (API keys are never included).</source>
        <translation>%1 にバックアップしました（API キーは含まれません）。</translation>
    </message>
    <message>
        <source>The file could not be written or read: %1</source>
        <translation>ファイルを読み書きできませんでした：%1</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>操作に失敗しました：%1</translation>
    </message>
</context>
<context>
    <name>DefaultsPage</name>
    <message>
        <source> tokens</source>
        <translation> トークン</translation>
    </message>
    <message>
        <source> rounds</source>
        <translation> ターン</translation>
    </message>
    <message>
        <source>Whether new conversations let the model search the web</source>
        <translation>新しい会話でモデルに Web 検索を許可するか</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>リージョン</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>プロトコル</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>コンテキスト</translation>
    </message>
    <message>
        <source>Web search</source>
        <translation>Web 検索</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>New conversations start with these settings. Each conversation can change them in the bar above the chat.</source>
        <translation>新しい会話はこの設定で始まります。会話ごとに、チャット上部のバーで変更できます。</translation>
    </message>
</context>
<context>
    <name>DocumentReader</name>
    <message>
        <source>Reading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>(This document has no text.)</source>
        <translation>（このドキュメントにはテキストがありません。）</translation>
    </message>
    <message>
        <source>The document could not be read.</source>
        <translation>ドキュメントを読み込めませんでした。</translation>
    </message>
</context>
<context>
    <name>DocumentStrip</name>
    <message>
        <source>document</source>
        <translation>ドキュメント</translation>
    </message>
    <message>
        <source>%1 — no longer on disk</source>
        <translation>%1 — ディスク上にありません</translation>
    </message>
</context>
<context>
    <name>DocumentSummary</name>
    <message>
        <source>Text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>コード</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>ドキュメント</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 ページ</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 ページ</translation>
    </message>
    <message>
        <source>1 sheet</source>
        <translation>1 シート</translation>
    </message>
    <message>
        <source>%1 sheets</source>
        <translation>%1 シート</translation>
    </message>
    <message>
        <source>1 slide</source>
        <translation>1 スライド</translation>
    </message>
    <message>
        <source>%1 slides</source>
        <translation>%1 スライド</translation>
    </message>
    <message>
        <source>scanned, no text layer</source>
        <translation>スキャン（テキスト層なし）</translation>
    </message>
    <message>
        <source>about %1 tokens</source>
        <translation>約 %1 トークン</translation>
    </message>
</context>
<context>
    <name>EditBanner</name>
    <message>
        <source>Editing a message: sending replaces it and every reply after it.</source>
        <translation>メッセージを編集中：送信すると、このメッセージとそれ以降の応答がすべて置き換えられます。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
</context>
<context>
    <name>ErrorPanel</name>
    <message>
        <source>Retry in %1 s</source>
        <translation>%1 秒後に再試行</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>今すぐ再試行</translation>
    </message>
    <message>
        <source>Check the region&apos;s address</source>
        <translation>リージョンのアドレスを確認</translation>
    </message>
    <message>
        <source>Switch to OpenAI-compatible and retry</source>
        <translation>OpenAI 互換に切り替えて再試行</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>続きを生成</translation>
    </message>
    <message>
        <source>Request ID: %1</source>
        <translation>リクエスト ID：%1</translation>
    </message>
    <message>
        <source>Open key settings</source>
        <translation>キーの設定を開く</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Something went wrong.</source>
        <translation>問題が発生しました。</translation>
    </message>
    <message>
        <source>The service returned an error.</source>
        <translation>サービスがエラーを返しました。</translation>
    </message>
    <message>
        <source>The API key was rejected for this region.</source>
        <translation>このリージョンで API キーが拒否されました。</translation>
    </message>
    <message>
        <source>Too many requests right now: the service asked to slow down.</source>
        <translation>現在リクエストが多すぎます。サービスから頻度を下げるよう求められました。</translation>
    </message>
    <message>
        <source>The account cannot pay for this request: check its balance, free quota or billing.</source>
        <translation>アカウントでこのリクエストの料金を支払えません。残高、無料枠、請求設定を確認してください。</translation>
    </message>
    <message>
        <source>This key is not allowed to use this model.</source>
        <translation>この API キーではこのモデルを使用できません。</translation>
    </message>
    <message>
        <source>The request or reply was blocked by content moderation.</source>
        <translation>リクエストまたは応答がコンテンツモデレーションによってブロックされました。</translation>
    </message>
    <message>
        <source>The conversation is too long for this model: shorten it or change the context policy.</source>
        <translation>会話がこのモデルには長すぎます。会話を短くするか、コンテキストの方式を変更してください。</translation>
    </message>
    <message>
        <source>The service rejected a request parameter.</source>
        <translation>サービスがリクエストのパラメーターを拒否しました。</translation>
    </message>
    <message>
        <source>This model does not exist or is not available in this region.</source>
        <translation>このモデルは存在しないか、このリージョンでは利用できません。</translation>
    </message>
    <message>
        <source>This model is not offered over the OpenAI-compatible protocol: switch to DashScope native.</source>
        <translation>このモデルは OpenAI 互換プロトコルでは提供されていません。DashScope ネイティブに切り替えてください。</translation>
    </message>
    <message>
        <source>This model does not take the Responses API: switch the conversation to the OpenAI-compatible protocol, or pick another model.</source>
        <translation>このモデルは Responses API に対応していません。会話を OpenAI 互換プロトコルに切り替えるか、別のモデルを選んでください。</translation>
    </message>
    <message>
        <source>The service no longer keeps this conversation&apos;s earlier turns.</source>
        <translation>この会話の以前のターンはもうサービス側に残っていません。</translation>
    </message>
    <message>
        <source>The region&apos;s address did not answer like Model Studio: check its base URL.</source>
        <translation>リージョンのアドレスが Model Studio として応答しませんでした。ベース URL を確認してください。</translation>
    </message>
    <message>
        <source>The service had an internal error.</source>
        <translation>サービスで内部エラーが発生しました。</translation>
    </message>
    <message>
        <source>The service sent a reply this app could not read.</source>
        <translation>サービスの応答をこのアプリで読み取れませんでした。</translation>
    </message>
    <message>
        <source>Could not reach the service: check the network connection and the region&apos;s address.</source>
        <translation>サービスに接続できませんでした。ネットワーク接続とリージョンのアドレスを確認してください。</translation>
    </message>
    <message>
        <source>The connection dropped before the reply finished.</source>
        <translation>応答の完了前に接続が切断されました。</translation>
    </message>
    <message>
        <source>The service stopped answering (timed out).</source>
        <translation>サービスの応答が途絶えました（タイムアウト）。</translation>
    </message>
    <message>
        <source>The settings are not valid.</source>
        <translation>設定が無効です。</translation>
    </message>
    <message>
        <source>No API key is set for this region.</source>
        <translation>このリージョンには API キーが設定されていません。</translation>
    </message>
    <message>
        <source>That does not look like a Model Studio API key: keys start with &quot;sk-&quot;.</source>
        <translation>Model Studio の API キーではないようです。API キーは「sk-」で始まります。</translation>
    </message>
    <message>
        <source>No usable system keyring was found, so the API key cannot be stored safely. Install and unlock a Secret Service provider (for example gnome-keyring or KWallet).</source>
        <translation>利用できるシステムのキーリングが見つからないため、API キーを安全に保存できません。Secret Service プロバイダー（gnome-keyring や KWallet など）をインストールしてロックを解除してください。</translation>
    </message>
    <message>
        <source>This file is not a Qwen Desktop export.</source>
        <translation>このファイルは Qwen Desktop のエクスポートではありません。</translation>
    </message>
    <message>
        <source>The conversation database could not be written.</source>
        <translation>会話データベースに書き込めませんでした。</translation>
    </message>
    <message>
        <source>The disk is full: free some space so conversations can be saved.</source>
        <translation>ディスクがいっぱいです。会話を保存できるよう空き容量を確保してください。</translation>
    </message>
    <message>
        <source>The conversation database is locked by another program: close other copies of Qwen Desktop and try again.</source>
        <translation>会話データベースが別のプログラムにロックされています。ほかの Qwen Desktop を閉じてから再試行してください。</translation>
    </message>
    <message>
        <source>The conversation database is damaged: restore it from a backup (a .bak file next to it) or move it away to start fresh.</source>
        <translation>会話データベースが破損しています。バックアップ（同じ場所の .bak ファイル）から復元するか、移動して新しく始めてください。</translation>
    </message>
    <message>
        <source>The conversation database is read-only: check the permissions of its file and folder.</source>
        <translation>会話データベースが読み取り専用です。ファイルとフォルダーのアクセス権を確認してください。</translation>
    </message>
    <message>
        <source>The conversation database file could not be read or written: check the disk and its permissions.</source>
        <translation>会話データベースのファイルを読み書きできませんでした。ディスクとアクセス権を確認してください。</translation>
    </message>
    <message>
        <source>The conversation database was written by a newer version of Qwen Desktop.</source>
        <translation>会話データベースは新しいバージョンの Qwen Desktop で作成されています。</translation>
    </message>
    <message>
        <source>This file is not a Qwen Desktop conversation database.</source>
        <translation>このファイルは Qwen Desktop の会話データベースではありません。</translation>
    </message>
    <message>
        <source>The conversation database is already closed.</source>
        <translation>会話データベースはすでに閉じられています。</translation>
    </message>
    <message>
        <source>That conversation no longer exists.</source>
        <translation>その会話はもう存在しません。</translation>
    </message>
    <message>
        <source>This conversation no longer fits the model&apos;s input window: switch the context policy to last N rounds, rolling summary or retrieval.</source>
        <translation>この会話はモデルの入力上限を超えています。コンテキストの方式を「直近 N ターン」「ローリング要約」「検索」のいずれかに切り替えてください。</translation>
    </message>
    <message>
        <source>This message alone does not fit the model&apos;s input window: shorten it or attach less.</source>
        <translation>このメッセージだけでモデルの入力上限を超えています。短くするか、添付を減らしてください。</translation>
    </message>
    <message>
        <source>This file cannot be sent as an image.</source>
        <translation>このファイルは画像として送信できません。</translation>
    </message>
    <message>
        <source>At most 10 images can go in one message.</source>
        <translation>1 つのメッセージに添付できる画像は最大 10 枚です。</translation>
    </message>
    <message>
        <source>This model cannot see images.</source>
        <translation>このモデルは画像を認識できません。</translation>
    </message>
    <message>
        <source>An attached image is no longer available.</source>
        <translation>添付した画像が見つからなくなりました。</translation>
    </message>
    <message>
        <source>A reply is still streaming in this conversation: stop it or wait for it to finish.</source>
        <translation>この会話ではまだ応答を生成中です。停止するか、完了までお待ちください。</translation>
    </message>
    <message>
        <source>The tool failed.</source>
        <translation>ツールの実行に失敗しました。</translation>
    </message>
    <message>
        <source>Type a message first.</source>
        <translation>まずメッセージを入力してください。</translation>
    </message>
    <message>
        <source>There is no question before this reply to answer again.</source>
        <translation>この応答の前に、もう一度回答できる質問がありません。</translation>
    </message>
    <message>
        <source>There is no partial reply to continue.</source>
        <translation>続きを生成できる途中の応答がありません。</translation>
    </message>
    <message>
        <source>This conversation no longer exists.</source>
        <translation>この会話はもう存在しません。</translation>
    </message>
    <message>
        <source>Images cannot be sent: no attachment folder is set up.</source>
        <translation>画像を送信できません。添付ファイル用のフォルダーが設定されていません。</translation>
    </message>
    <message>
        <source>The summarizer returned no text.</source>
        <translation>要約モデルがテキストを返しませんでした。</translation>
    </message>
    <message>
        <source>The reply was cut off.</source>
        <translation>応答が途中で途切れました。</translation>
    </message>
    <message>
        <source>The region&apos;s host name could not be found: check its address.</source>
        <translation>リージョンのホスト名が見つかりませんでした。アドレスを確認してください。</translation>
    </message>
    <message>
        <source>The connection was refused: check the region&apos;s address and port.</source>
        <translation>接続が拒否されました。リージョンのアドレスとポートを確認してください。</translation>
    </message>
    <message>
        <source>The secure connection failed: check the region&apos;s address.</source>
        <translation>安全な接続に失敗しました。リージョンのアドレスを確認してください。</translation>
    </message>
    <message>
        <source>The settings contain something shaped like an API key, so they were not saved.</source>
        <translation>設定に API キーのような文字列が含まれているため、保存しませんでした。</translation>
    </message>
    <message>
        <source>This export was written by a newer version of Qwen Desktop.</source>
        <translation>このエクスポートは新しいバージョンの Qwen Desktop で作成されています。</translation>
    </message>
    <message>
        <source>An image in this export is damaged (its checksum does not match).</source>
        <translation>このエクスポート内の画像が破損しています（チェックサムが一致しません）。</translation>
    </message>
    <message>
        <source>An assistant needs a name.</source>
        <translation>アシスタントには名前が必要です。</translation>
    </message>
    <message>
        <source>That assistant no longer exists.</source>
        <translation>そのアシスタントはもう存在しません。</translation>
    </message>
    <message>
        <source>The assistant to copy no longer exists.</source>
        <translation>複製するアシスタントはもう存在しません。</translation>
    </message>
    <message>
        <source>(request id %1)</source>
        <translation>（リクエスト ID：%1）</translation>
    </message>
    <message>
        <source>Add a key for %1 in Settings.</source>
        <translation>設定で %1 の API キーを追加してください。</translation>
    </message>
    <message>
        <source>The key works for %1.</source>
        <translation>この API キーは %1 で使用できます。</translation>
    </message>
    <message>
        <source>The key was rejected by %1.</source>
        <translation>%1 でこの API キーが拒否されました。</translation>
    </message>
    <message>
        <source>This key belongs to %1, not %2: %3 and %4 keys differ.</source>
        <translation>この API キーは %2 ではなく %1 のものです。%3 と %4 の API キーは異なります。</translation>
    </message>
    <message>
        <source>%1 cannot see images: switch this conversation to a vision model such as %2, or remove the images.</source>
        <translation>%1 は画像を認識できません。この会話を %2 などの視覚モデルに切り替えるか、画像を削除してください。</translation>
    </message>
    <message>
        <source>The attached image %1 is no longer on disk: attach it again to send it.</source>
        <translation>添付した画像 %1 がディスク上に見つかりません。送信するにはもう一度添付してください。</translation>
    </message>
    <message>
        <source>There is no region called %1.</source>
        <translation>%1 というリージョンはありません。</translation>
    </message>
    <message>
        <source>There is no custom region called %1.</source>
        <translation>%1 というカスタムリージョンはありません。</translation>
    </message>
    <message>
        <source>The built-in region %1 cannot be removed.</source>
        <translation>組み込みのリージョン %1 は削除できません。</translation>
    </message>
    <message>
        <source>The region id %1 belongs to a built-in region: choose another.</source>
        <translation>リージョン ID %1 は組み込みのリージョンで使われています。別の ID を選んでください。</translation>
    </message>
    <message>
        <source>The address %1 is not valid: it must start with http:// or https:// and name a host.</source>
        <translation>アドレス %1 は無効です。http:// または https:// で始まり、ホスト名を含む必要があります。</translation>
    </message>
    <message>
        <source>%1 is empty (0 bytes).</source>
        <translation>%1 は空です（0 バイト）。</translation>
    </message>
    <message>
        <source>%1 does not exist any more.</source>
        <translation>%1 はもう存在しません。</translation>
    </message>
    <message>
        <source>%1 is a folder, not an image file.</source>
        <translation>%1 はフォルダーで、画像ファイルではありません。</translation>
    </message>
    <message>
        <source>%1 cannot be read: permission denied.</source>
        <translation>%1 を読み取れません。アクセスが拒否されました。</translation>
    </message>
    <message>
        <source>%1 has too many pixels to open safely.</source>
        <translation>%1 はピクセル数が多すぎるため、安全に開けません。</translation>
    </message>
    <message>
        <source>%1 is damaged or incomplete, so it cannot be read.</source>
        <translation>%1 は破損しているか不完全なため、読み取れません。</translation>
    </message>
    <message>
        <source>%1 has no pixels.</source>
        <translation>%1 にはピクセルがありません。</translation>
    </message>
    <message>
        <source>%1 cannot be made small enough to send.</source>
        <translation>%1 を送信できるサイズまで小さくできません。</translation>
    </message>
    <message>
        <source>%1 is too large (%2): images up to %3 can be attached.</source>
        <translation>%1 は大きすぎます（%2）。添付できる画像は %3 までです。</translation>
    </message>
    <message>
        <source>At most %1 images per message: %2 were added, so none were kept.</source>
        <translation>1 メッセージあたりの画像は最大 %1 枚です。%2 枚追加されたため、どれも保持されませんでした。</translation>
    </message>
    <message>
        <source>At most %1 images per message: %2 were added, so the first %3 were kept.</source>
        <translation>1 メッセージあたりの画像は最大 %1 枚です。%2 枚追加されたため、最初の %3 枚を保持しました。</translation>
    </message>
    <message>
        <source>Only the first of its %1 frames is sent.</source>
        <translation>%1 フレームのうち最初のフレームだけを送信します。</translation>
    </message>
    <message>
        <source>Turned upright as its EXIF orientation tag says.</source>
        <translation>EXIF の向き情報に従って正しい向きに回転しました。</translation>
    </message>
    <message>
        <source>Removed its metadata (camera, location and other details).</source>
        <translation>メタデータ（カメラ、位置情報など）を削除しました。</translation>
    </message>
    <message>
        <source>Converted its colours to sRGB.</source>
        <translation>色を sRGB に変換しました。</translation>
    </message>
    <message>
        <source>A prompt needs a name.</source>
        <translation>プロンプトには名前が必要です。</translation>
    </message>
    <message>
        <source>A prompt&apos;s name must be one line of at most %1 characters.</source>
        <translation>プロンプトの名前は 1 行、%1 文字以内にしてください。</translation>
    </message>
    <message>
        <source>The prompt &apos;%1&apos; has no text.</source>
        <translation>プロンプト「%1」に本文がありません。</translation>
    </message>
    <message>
        <source>The prompt &apos;%1&apos; is longer than %2 characters.</source>
        <translation>プロンプト「%1」は %2 文字を超えています。</translation>
    </message>
    <message>
        <source>There is already a prompt called &apos;%1&apos;.</source>
        <translation>「%1」という名前のプロンプトはすでにあります。</translation>
    </message>
    <message>
        <source>The prompt &apos;%1&apos; no longer exists.</source>
        <translation>プロンプト「%1」はもう存在しません。</translation>
    </message>
    <message>
        <source>%1 is not a prompts file: it is not valid JSON text.</source>
        <translation>%1 はプロンプトのファイルではありません。有効な JSON テキストではありません。</translation>
    </message>
    <message>
        <source>%1 is not a prompts file exported by Qwen Desktop.</source>
        <translation>%1 は Qwen Desktop が書き出したプロンプトのファイルではありません。</translation>
    </message>
    <message>
        <source>%1 holds no list of prompts.</source>
        <translation>%1 にはプロンプトの一覧がありません。</translation>
    </message>
    <message>
        <source>There is no file %1 to import.</source>
        <translation>読み込むファイル %1 がありません。</translation>
    </message>
    <message>
        <source>There is already an assistant called %1.</source>
        <translation>%1 という名前のアシスタントはすでにあります。</translation>
    </message>
    <message>
        <source>The assistant %1 no longer exists.</source>
        <translation>アシスタント %1 はもう存在しません。</translation>
    </message>
    <message>
        <source>%1 is not an assistants file exported by Qwen Desktop.</source>
        <translation>%1 は Qwen Desktop が書き出したアシスタントファイルではありません。</translation>
    </message>
    <message>
        <source>%1 is not an assistants file: it is not valid JSON text.</source>
        <translation>%1 はアシスタントファイルではありません：有効な JSON テキストではありません。</translation>
    </message>
    <message>
        <source>%1 holds no list of assistants.</source>
        <translation>%1 にアシスタントの一覧がありません。</translation>
    </message>
    <message>
        <source>%1 was written by a newer version of Qwen Desktop; update the app to import it.</source>
        <translation>%1 は新しいバージョンの Qwen Desktop で書き出されました。インポートするにはアプリを更新してください。</translation>
    </message>
    <message>
        <source>Assistant %1 in %2 cannot be imported: %3</source>
        <translation>%2 の %1 番目のアシスタントはインポートできません：%3</translation>
    </message>
    <message>
        <source>The assistants could not be written to %1: %2.</source>
        <translation>アシスタントを %1 に書き込めませんでした：%2。</translation>
    </message>
</context>
<context>
    <name>ExtrasPopup</name>
    <message>
        <source>Instructions sent before the conversation</source>
        <translation>会話の前にモデルへ送る指示</translation>
    </message>
    <message>
        <source>For example: answer briefly and cite sources.</source>
        <translation>例：簡潔に答え、出典を示してください。</translation>
    </message>
    <message>
        <source>Higher is more varied, lower is more focused</source>
        <translation>高いほど多様に、低いほど的確に</translation>
    </message>
    <message>
        <source>Model default</source>
        <translation>モデルの既定値</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>システムプロンプト</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Cache the stable prefix (explicit cache)</source>
        <translation>固定の先頭部分をキャッシュ（明示的キャッシュ）</translation>
    </message>
    <message>
        <source>Marks the system prompt and summary for caching: later requests read them at the cached-input price</source>
        <translation>システムプロンプトと要約をキャッシュ対象にします。以降のリクエストはキャッシュ入力の料金で読み込みます</translation>
    </message>
    <message>
        <source>This model does not support explicit caching</source>
        <translation>このモデルは明示的キャッシュに対応していません</translation>
    </message>
</context>
<context>
    <name>GenerationEditor</name>
    <message>
        <source>Sample only from the likeliest tokens whose chances add up to this</source>
        <translation>確率の合計がこの値に達するまでの上位トークンだけから選ぶ</translation>
    </message>
    <message>
        <source>Sample only from this many likeliest tokens</source>
        <translation>確率の高い上位この数のトークンだけから選ぶ</translation>
    </message>
    <message>
        <source>The reply stops after this many tokens</source>
        <translation>回答はこのトークン数で止まります</translation>
    </message>
    <message>
        <source>The same seed and question give the same reply more often</source>
        <translation>同じシードと質問なら同じ回答になりやすくなります</translation>
    </message>
    <message>
        <source>Above 0 steers away from what was already said</source>
        <translation>0 より大きいと、すでに述べた内容を避けます</translation>
    </message>
    <message>
        <source>Above 1 makes repeating the same words less likely</source>
        <translation>1 より大きいと、同じ言葉の繰り返しが減ります</translation>
    </message>
    <message>
        <source>The reply ends where it would write one of these (one per line)</source>
        <translation>これらのいずれかを書く位置で回答が終わります（1 行に 1 つ）</translation>
    </message>
    <message>
        <source>One per line</source>
        <translation>1 行に 1 つ</translation>
    </message>
    <message>
        <source>JSON mode: the reply is a JSON object</source>
        <translation>JSON モード：回答は JSON オブジェクト</translation>
    </message>
    <message>
        <source>Reset to model defaults</source>
        <translation>モデルの既定値に戻す</translation>
    </message>
    <message>
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <source>Top K</source>
        <translation>Top K</translation>
    </message>
    <message>
        <source>Reply length limit</source>
        <translation>回答の長さの上限</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>Presence penalty</source>
        <translation>存在ペナルティ</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>繰り返しペナルティ</translation>
    </message>
    <message>
        <source>Stop sequences</source>
        <translation>停止シーケンス</translation>
    </message>
    <message>
        <source>Only with thinking off, as the service requires; ask for JSON in the message too</source>
        <translation>サービスの仕様により思考オフのときだけ使えます。メッセージでも JSON を求めてください</translation>
    </message>
    <message>
        <source>The reply is a JSON object; ask for JSON in the message too</source>
        <translation>回答は JSON オブジェクトです。メッセージでも JSON を求めてください</translation>
    </message>
</context>
<context>
    <name>ImageIntake</name>
    <message>
        <source>Drop images or documents to attach them</source>
        <translation>画像やドキュメントをドロップして添付</translation>
    </message>
    <message>
        <source>Password needed</source>
        <translation>パスワードが必要です</translation>
    </message>
    <message>
        <source>%1 is protected by a password. Enter it to read the document here:</source>
        <translation>%1 はパスワードで保護されています。ここで読むにはパスワードを入力してください：</translation>
    </message>
    <message>
        <source>That password does not open %1. Try again:</source>
        <translation>このパスワードでは %1 を開けません。もう一度入力してください：</translation>
    </message>
    <message>
        <source>%1 cannot be attached: images and documents (PDF, Word, Excel, PowerPoint, text, code) can.</source>
        <translation>%1 は添付できません：添付できるのは画像とドキュメント（PDF、Word、Excel、PowerPoint、テキスト、コード）です。</translation>
    </message>
    <message>
        <source>Images from web pages are not downloaded: drag the picture itself or save it first.</source>
        <translation>Web ページの画像はダウンロードしません。画像ファイルそのものをドラッグするか、先に保存してください。</translation>
    </message>
</context>
<context>
    <name>ImageStrip</name>
    <message>
        <source>image</source>
        <translation>画像</translation>
    </message>
</context>
<context>
    <name>KeyField</name>
    <message>
        <source>Show key</source>
        <translation>キーを表示</translation>
    </message>
    <message>
        <source>Hide key</source>
        <translation>キーを隠す</translation>
    </message>
</context>
<context>
    <name>KeyRow</name>
    <message>
        <source>Using %1 from the environment.</source>
        <translation>環境変数 %1 を使用しています。</translation>
    </message>
    <message>
        <source>API key for %1</source>
        <translation>%1 の API キー</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>テスト</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Send one tiny request to check the key</source>
        <translation>小さなリクエストを 1 回送ってキーを確認します</translation>
    </message>
    <message>
        <source>Store the key in the system keyring</source>
        <translation>キーをシステムのキーリングに保存します</translation>
    </message>
    <message>
        <source>Delete the stored key from the system keyring</source>
        <translation>保存済みのキーをシステムのキーリングから削除します</translation>
    </message>
    <message>
        <source>Use this region for new conversations</source>
        <translation>新しい会話でこのリージョンを使う</translation>
    </message>
    <message>
        <source>&lt;a href=&quot;%1&quot;&gt;Get a key&lt;/a&gt;</source>
        <translation>&lt;a href=&quot;%1&quot;&gt;キーを取得&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>編集</translation>
    </message>
    <message>
        <source>Edit or remove this custom region</source>
        <translation>このカスタムリージョンを編集または削除</translation>
    </message>
    <message>
        <source>Edit region…</source>
        <translation>リージョンを編集…</translation>
    </message>
    <message>
        <source>Remove region</source>
        <translation>リージョンを削除</translation>
    </message>
    <message>
        <source>No key yet.</source>
        <translation>キーはまだありません。</translation>
    </message>
    <message>
        <source>Paste an API key (sk-…)</source>
        <translation>API キーを貼り付け（sk-…）</translation>
    </message>
    <message>
        <source>Paste a key to keep one for this region</source>
        <translation>このリージョン用に保存するキーを貼り付け</translation>
    </message>
    <message>
        <source>Stored in the system keyring: %1</source>
        <translation>システムのキーリングに保存済み：%1</translation>
    </message>
    <message>
        <source>Paste a new key to replace it</source>
        <translation>置き換える新しいキーを貼り付け</translation>
    </message>
    <message>
        <source>Paste a key to test.</source>
        <translation>テストするキーを貼り付けてください。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>テスト中…</translation>
    </message>
    <message>
        <source>Not saved: %1 Paste another key, or test it again.</source>
        <translation>保存していません：%1 別のキーを貼り付けるか、もう一度テストしてください。</translation>
    </message>
    <message>
        <source>Saved in the system keyring.</source>
        <translation>システムのキーリングに保存しました。</translation>
    </message>
    <message>
        <source>New conversations will use %1.</source>
        <translation>新しい会話では %1 を使います。</translation>
    </message>
    <message>
        <source>Removed the stored key.</source>
        <translation>保存済みのキーを削除しました。</translation>
    </message>
    <message>
        <source>There was no stored key.</source>
        <translation>保存済みのキーはありませんでした。</translation>
    </message>
</context>
<context>
    <name>KeyTestRunner</name>
    <message>
        <source>The key could not be tested (%1).</source>
        <translation>キーをテストできませんでした（%1）。</translation>
    </message>
</context>
<context>
    <name>KeysPage</name>
    <message>
        <source>Each region has its own API keys: a Singapore key does not work in Beijing. Keys are kept in the system keyring, never in a settings file.</source>
        <translation>API キーはリージョンごとに異なります。シンガポールのキーは北京では使えません。キーはシステムのキーリングに保存され、設定ファイルには書き込まれません。</translation>
    </message>
    <message>
        <source>Add custom region…</source>
        <translation>カスタムリージョンを追加…</translation>
    </message>
    <message>
        <source>A region with the id %1 already exists.</source>
        <translation>ID が %1 のリージョンはすでに存在します。</translation>
    </message>
    <message>
        <source>Saved %1 (%2).</source>
        <translation>%1（%2）を保存しました。</translation>
    </message>
    <message>
        <source>Added %1 (%2).</source>
        <translation>%1（%2）を追加しました。</translation>
    </message>
    <message>
        <source>Removed %1 and its stored key.</source>
        <translation>%1 と保存済みのキーを削除しました。</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>設定を保存できませんでした：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>New conversation</source>
        <translation>新しい会話</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>設定 (Ctrl+,)</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>使用量</translation>
    </message>
    <message>
        <source>Tokens and cost over time (Ctrl+Shift+U)</source>
        <translation>トークンと料金の推移 (Ctrl+Shift+U)</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>新しい会話(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Search conversations</source>
        <translation>会話を検索(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top reply</source>
        <translation>返信を停止(&amp;T)</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>設定(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Command palette…</source>
        <translation>コマンドパレット(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>キーボードショートカット(&amp;K)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>拡大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>縮小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>実際のサイズ(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Next recent conversation</source>
        <translation>次の最近の会話(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous recent conversation</source>
        <translation>前の最近の会話(&amp;P)</translation>
    </message>
    <message>
        <source>Previous &amp;message</source>
        <translation>前のメッセージ(&amp;M)</translation>
    </message>
    <message>
        <source>Ne&amp;xt message</source>
        <translation>次のメッセージ(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Write a message</source>
        <translation>メッセージを入力(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Prompt library…</source>
        <translation>プロンプト ライブラリ(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Usage</source>
        <translation>使用量(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;About Qwen Desktop</source>
        <translation>Qwen Desktop について(&amp;A)</translation>
    </message>
    <message>
        <source>About</source>
        <translation>バージョン情報</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>移動(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>In the conversation list</source>
        <translation>会話一覧で</translation>
    </message>
    <message>
        <source>In the message box</source>
        <translation>メッセージ欄で</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>New line</source>
        <translation>改行</translation>
    </message>
    <message>
        <source>Open the conversation</source>
        <translation>会話を開く</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>名前を変更</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>The text size could not be saved: %1</source>
        <translation>文字サイズを保存できませんでした：%1</translation>
    </message>
    <message>
        <source>No API key for %1 — add one in Settings (Ctrl+,).</source>
        <translation>%1 の API キーがありません。設定（Ctrl+,）で追加してください。</translation>
    </message>
    <message>
        <source>thinking on, budget %1</source>
        <translation>思考：オン、上限 %1</translation>
    </message>
    <message>
        <source>thinking on</source>
        <translation>思考：オン</translation>
    </message>
    <message>
        <source>thinking off</source>
        <translation>思考：オフ</translation>
    </message>
    <message>
        <source>key from %1</source>
        <translation>キーは %1 から</translation>
    </message>
    <message>
        <source>%1 — Qwen Desktop</source>
        <translation>%1 — Qwen Desktop</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同期</translation>
    </message>
    <message>
        <source>A reply is still streaming in this conversation: stop it first.</source>
        <translation>この会話ではまだ応答を生成中です。先に停止してください。</translation>
    </message>
    <message>
        <source>Conversation moved to the trash.</source>
        <translation>会話をゴミ箱に移動しました。</translation>
    </message>
    <message>
        <source>%1 (branch)</source>
        <translation>%1（分岐）</translation>
    </message>
    <message>
        <source>Question and answer deleted.</source>
        <translation>質問と回答を削除しました。</translation>
    </message>
    <message>
        <source>Reply deleted.</source>
        <translation>返信を削除しました。</translation>
    </message>
    <message>
        <source>Empty trash</source>
        <translation>ゴミ箱を空にする</translation>
    </message>
    <message>
        <source>Delete every conversation in the trash forever? This cannot be undone.</source>
        <translation>ゴミ箱のすべての会話を完全に削除しますか？元に戻せません。</translation>
    </message>
    <message>
        <source>Delete forever</source>
        <translation>完全に削除</translation>
    </message>
    <message>
        <source>Open link?</source>
        <translation>リンクを開きますか？</translation>
    </message>
    <message>
        <source>This link does not point to a web page:
%1

Open it anyway?</source>
        <translation>このリンクは Web ページを指していません：
%1

それでも開きますか？</translation>
    </message>
</context>
<context>
    <name>Markdown</name>
    <message>
        <source>Copied</source>
        <translation>コピーしました</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>code</source>
        <translation>コード</translation>
    </message>
    <message>
        <source>image</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>[image: %1]</source>
        <translation>[画像：%1]</translation>
    </message>
</context>
<context>
    <name>McpPage</name>
    <message>
        <source>Program (stdio)</source>
        <translation>プログラム（stdio）</translation>
    </message>
    <message>
        <source>HTTP (streamable)</source>
        <translation>HTTP（ストリーミング対応）</translation>
    </message>
    <message>
        <source>e.g. npx -y @modelcontextprotocol/server-filesystem ~/notes</source>
        <translation>例：npx -y @modelcontextprotocol/server-filesystem ~/notes</translation>
    </message>
    <message>
        <source>NAME=value, one a line (kept in the system keyring)</source>
        <translation>NAME=value を 1 行に 1 つ（システムのキーリングに保存）</translation>
    </message>
    <message>
        <source>Ask before each tool call</source>
        <translation>ツールを呼び出す前に毎回確認</translation>
    </message>
    <message>
        <source>Save server</source>
        <translation>サーバーを保存</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Connect and list tools</source>
        <translation>接続してツールを一覧表示</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>コマンド</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>環境変数</translation>
    </message>
    <message>
        <source>MCP servers start when a conversation first uses them and stop when the app quits.</source>
        <translation>MCP サーバーは会話で初めて使われたときに起動し、アプリの終了時に停止します。</translation>
    </message>
    <message>
        <source>tools not listed yet</source>
        <translation>ツールはまだ一覧表示されていません</translation>
    </message>
    <message>
        <source>Give the server a name first.</source>
        <translation>まずサーバーに名前を付けてください。</translation>
    </message>
    <message>
        <source>The command has an unclosed quote.</source>
        <translation>コマンドの引用符が閉じられていません。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>保存しました。</translation>
    </message>
    <message>
        <source>Saved, but the environment values were not: no system keyring can keep them. Set them in the environment that starts the app.</source>
        <translation>保存しましたが、環境変数の値は保存していません。保存できるシステムのキーリングがありません。アプリを起動する環境で設定してください。</translation>
    </message>
    <message>
        <source>Pick a server first.</source>
        <translation>まずサーバーを選んでください。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1 に接続しています…</translation>
    </message>
    <message>
        <source>%1 offers %2 tools.</source>
        <translation>%1 は %2 個のツールを提供しています。</translation>
    </message>
</context>
<context>
    <name>MessageFooter</name>
    <message>
        <source>%1 in</source>
        <translation>入力 %1</translation>
    </message>
    <message>
        <source>%1 out</source>
        <translation>出力 %1</translation>
    </message>
    <message>
        <source>%1 reasoning</source>
        <translation>思考 %1</translation>
    </message>
    <message>
        <source>%1 cached</source>
        <translation>キャッシュ %1</translation>
    </message>
    <message>
        <source>%1 written to the cache</source>
        <translation>キャッシュ書き込み %1</translation>
    </message>
    <message>
        <source>web searches: %1</source>
        <translation>Web 検索 %1 回</translation>
    </message>
    <message>
        <source>~%1 in from search results</source>
        <translation>検索結果の入力 約 %1</translation>
    </message>
    <message>
        <source>cache saved %1</source>
        <translation>キャッシュで %1 節約</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>This call did not finish.</source>
        <translation>この呼び出しは完了しませんでした。</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>メッセージをコピー</translation>
    </message>
    <message>
        <source>More actions</source>
        <translation>その他の操作</translation>
    </message>
    <message>
        <source>Continue in a new conversation from here</source>
        <translation>ここから新しい会話で続ける</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>コピーしました</translation>
    </message>
</context>
<context>
    <name>ModelText</name>
    <message>
        <source>%1 is served on the native multimodal path: the reply was asked for there, and the app will go there first from now on.</source>
        <translation>%1 はネイティブのマルチモーダル経路で提供されています：今回の応答はそちらに依頼し直し、今後は最初からそちらを使います。</translation>
    </message>
    <message>
        <source>%1 is served on the native text path: the reply was asked for there, and the app will go there first from now on.</source>
        <translation>%1 はネイティブのテキスト経路で提供されています：今回の応答はそちらに依頼し直し、今後は最初からそちらを使います。</translation>
    </message>
    <message>
        <source>%1 always thinks: the service does not let thinking be turned off for it.</source>
        <translation>%1 は常に思考します：サービスはこのモデルの思考をオフにさせません。</translation>
    </message>
    <message>
        <source>%1 thinks unless told not to: its thinking is shown, and when thinking is off the app now asks it not to think.</source>
        <translation>%1 は指定しない限り思考します：思考は表示され、思考オフのときは今後アプリが思考しないよう明示します。</translation>
    </message>
    <message>
        <source>%1 accepts a thinking budget of at most %2 tokens: the budget was lowered to that.</source>
        <translation>%1 の思考予算は最大 %2 トークンです：予算をその値に下げました。</translation>
    </message>
    <message>
        <source>%1 reads at most %2 tokens of input: the conversation was fitted to that under its context policy.</source>
        <translation>%1 が読める入力は最大 %2 トークンです：会話のコンテキスト方針に従ってその長さに収めました。</translation>
    </message>
    <message>
        <source>%1 does not take the Responses API here: switch its conversations to the OpenAI-compatible protocol.</source>
        <translation>%1 はここでは Responses API に対応していません。会話を OpenAI 互換プロトコルに切り替えてください。</translation>
    </message>
    <message>
        <source>%1 cannot see images: the images are kept with your message; pick a vision model to send them.</source>
        <translation>%1 は画像を認識できません：画像はメッセージに残しています。送るにはビジョンモデルを選んでください。</translation>
    </message>
    <message>
        <source>/think has no effect while thinking is off: the service ignores it. Turn thinking on to use it.</source>
        <translation>思考がオフの間は /think は効きません：サービスが無視します。使うには思考をオンにしてください。</translation>
    </message>
    <message>
        <source>/no_think has no effect on %1: it always thinks.</source>
        <translation>/no_think は %1 には効きません：常に思考します。</translation>
    </message>
    <message>
        <source>/no_think: this message is answered without thinking.</source>
        <translation>/no_think：このメッセージは思考せずに回答されます。</translation>
    </message>
    <message>
        <source>/think: this message is answered with thinking.</source>
        <translation>/think：このメッセージは思考してから回答されます。</translation>
    </message>
    <message>
        <source>%1 always thinks: it will think for this reply even though thinking is off.</source>
        <translation>%1 は常に思考します：思考がオフでもこの応答では思考します。</translation>
    </message>
    <message>
        <source>%1 accepts a thinking budget of at most %2 tokens: %3 is lowered to that.</source>
        <translation>%1 の思考予算は最大 %2 トークンです：%3 はその値に下げられます。</translation>
    </message>
    <message>
        <source>%1 works best without a system prompt: the vendor advises leaving it empty.</source>
        <translation>%1 はシステムプロンプトなしが最適です：ベンダーは空にすることを勧めています。</translation>
    </message>
    <message>
        <source>Thinking: on</source>
        <translation>思考：オン</translation>
    </message>
    <message>
        <source>Thinking: off</source>
        <translation>思考：オフ</translation>
    </message>
</context>
<context>
    <name>PromptManager</name>
    <message>
        <source>Prompt library</source>
        <translation>プロンプト ライブラリ</translation>
    </message>
    <message>
        <source>Search prompts</source>
        <translation>プロンプトを検索</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新規</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>読み込み…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>書き出し…</translation>
    </message>
    <message>
        <source>Name (type / and part of it in the message box)</source>
        <translation>名前（メッセージ欄で / と名前の一部を入力すると挿入できます）</translation>
    </message>
    <message>
        <source>The prompt. Write {{name}} where something is to be filled in; Tab moves from one to the next after inserting it.</source>
        <translation>プロンプトの本文。後から埋める箇所には {{名前}} と書きます。挿入後は Tab で次の箇所へ移動します。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Variables: %1</source>
        <translation>変数：%1</translation>
    </message>
    <message>
        <source>No variables: write {{name}} to add one.</source>
        <translation>変数はありません。{{名前}} と書くと追加できます。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>保存しました。</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>「%1」を削除しました。</translation>
    </message>
    <message>
        <source>Prompt files (*.json)</source>
        <translation>プロンプト ファイル (*.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Import prompts</source>
        <translation>プロンプトを読み込む</translation>
    </message>
    <message>
        <source>Export prompts</source>
        <translation>プロンプトを書き出す</translation>
    </message>
    <message>
        <source>Imported %1 new and replaced %2 prompts.</source>
        <translation>新しく %1 件を読み込み、%2 件を置き換えました。</translation>
    </message>
    <message>
        <source>Exported %1 prompts to %2.</source>
        <translation>%1 件のプロンプトを %2 に書き出しました。</translation>
    </message>
</context>
<context>
    <name>PromptMenu</name>
    <message>
        <source>↑↓ choose · Enter or Tab insert · Esc close</source>
        <translation>↑↓ 選択 · Enter または Tab で挿入 · Esc で閉じる</translation>
    </message>
</context>
<context>
    <name>RegionChoice</name>
    <message>
        <source>Other region…</source>
        <translation>その他のリージョン…</translation>
    </message>
</context>
<context>
    <name>Regions</name>
    <message>
        <source>Beijing</source>
        <translation>北京</translation>
    </message>
    <message>
        <source>Hong Kong</source>
        <translation>香港</translation>
    </message>
    <message>
        <source>Virginia</source>
        <translation>バージニア</translation>
    </message>
    <message>
        <source>Singapore</source>
        <translation>シンガポール</translation>
    </message>
    <message>
        <source>China (Beijing)</source>
        <translation>中国 (北京)</translation>
    </message>
    <message>
        <source>US (Virginia)</source>
        <translation>米国 (バージニア)</translation>
    </message>
    <message>
        <source>China (Hong Kong)</source>
        <translation>中国 (香港)</translation>
    </message>
</context>
<context>
    <name>RetrievalProgress</name>
    <message>
        <source>Preparing earlier messages for retrieval…</source>
        <translation>検索用に過去のメッセージを準備しています…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Indexing earlier rounds for retrieval: %1 of %2</source>
        <translation>検索用に過去のターンをインデックス化中：%1 / %2</translation>
    </message>
</context>
<context>
    <name>SearchControls</name>
    <message>
        <source>Off</source>
        <translation>オフ</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>常に</translation>
    </message>
    <message>
        <source>Turbo</source>
        <translation>Turbo</translation>
    </message>
    <message>
        <source>Fast single search; fine for most questions.</source>
        <translation>1 回の高速検索。ほとんどの質問に十分です。</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>Max</translation>
    </message>
    <message>
        <source>Searches several engines for fuller results; slower.</source>
        <translation>複数の検索エンジンでより詳しく調べます。時間がかかります。</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>The model searches as many times as it needs and combines the results.</source>
        <translation>モデルが必要なだけ検索し、結果をまとめます。</translation>
    </message>
    <message>
        <source>Agent max</source>
        <translation>Agent max</translation>
    </message>
    <message>
        <source>Agent searching that also reads whole pages (thinking models).</source>
        <translation>Agent 検索に加えてページ全体を読みます（思考モデル）。</translation>
    </message>
    <message>
        <source>Web search</source>
        <translation>Web 検索</translation>
    </message>
    <message>
        <source>The service refused web search for this model in this region: %1</source>
        <translation>このリージョンではサービスがこのモデルの Web 検索を拒否しました：%1</translation>
    </message>
    <message>
        <source>Let the model search the web: Auto when it decides, Always on every message. Sources are listed under the reply on the DashScope protocol.</source>
        <translation>モデルに Web 検索をさせます。「自動」はモデルが判断、「常に」は毎回検索します。DashScope プロトコルでは出典が返信の下に表示されます。</translation>
    </message>
    <message>
        <source>(%1 %2 per 1,000 searches, plus the results&apos; input tokens)</source>
        <translation>（1,000 回の検索あたり %1 %2、別途検索結果の入力トークン）</translation>
    </message>
</context>
<context>
    <name>SearchHitDelegate</name>
    <message>
        <source>Matched in the title</source>
        <translation>タイトルに一致</translation>
    </message>
</context>
<context>
    <name>SearchNote</name>
    <message>
        <source>Searched the web — sources are only returned on the DashScope protocol.</source>
        <translation>Web を検索しました — 出典は DashScope プロトコルでのみ返されます。</translation>
    </message>
    <message>
        <source>Switch to DashScope</source>
        <translation>DashScope に切り替え</translation>
    </message>
    <message>
        <source>Use the DashScope native protocol for this conversation</source>
        <translation>この会話で DashScope ネイティブプロトコルを使う</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Keys &amp;&amp; regions</source>
        <translation>API キーとリージョン</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>既定の設定</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外観</translation>
    </message>
    <message>
        <source>MCP servers</source>
        <translation>MCP サーバー</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>設定を保存できませんでした：%1</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>キー</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New conversation</source>
        <translation>新しい会話</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>ゴミ箱</translation>
    </message>
    <message>
        <source>New conversation with an assistant (Ctrl+Shift+N)</source>
        <translation>アシスタントで新しい会話（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <source>Search conversations (Ctrl+K)</source>
        <translation>会話を検索 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Deleted conversations, kept for a while</source>
        <translation>削除した会話（しばらく保管されます）</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>名前を変更</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>ピン留めを外す</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>ピン留め</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>No conversations match “%1”.</source>
        <translation>「%1」に一致する会話はありません。</translation>
    </message>
    <message>
        <source>No conversations yet.</source>
        <translation>会話はまだありません。</translation>
    </message>
</context>
<context>
    <name>SourcesPanel</name>
    <message>
        <source>Sources</source>
        <translation>出典</translation>
    </message>
</context>
<context>
    <name>SummaryDivider</name>
    <message>
        <source>Earlier messages summarized</source>
        <translation>以前のメッセージを要約しました</translation>
    </message>
    <message>
        <source>Messages above this line reach the model only as this summary</source>
        <translation>この線より上のメッセージは、この要約としてのみモデルに届きます</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>編集</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>再生成</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Summarized by %1</source>
        <translation>%1 が要約</translation>
    </message>
    <message>
        <source>Edited by you</source>
        <translation>あなたが編集</translation>
    </message>
    <message>
        <source>Summarizing again…</source>
        <translation>要約を作り直しています…</translation>
    </message>
</context>
<context>
    <name>SyncErrors</name>
    <message>
        <source>The sync location could not be reached.</source>
        <translation>同期先にアクセスできませんでした。</translation>
    </message>
    <message>
        <source>A file in the sync location has gone.</source>
        <translation>同期先のファイルがなくなりました。</translation>
    </message>
    <message>
        <source>A file in the sync location changed while it was being written.</source>
        <translation>同期先のファイルが書き込み中に変更されました。</translation>
    </message>
    <message>
        <source>The sync passphrase is not the one this sync location was set up with.</source>
        <translation>同期パスフレーズが、この同期先を設定したときのものと違います。</translation>
    </message>
    <message>
        <source>The sync location holds a qwen-sync.json this version of Qwen Desktop cannot read; it may belong to a newer version.</source>
        <translation>同期先の qwen-sync.json をこのバージョンの Qwen Desktop では読めません。新しいバージョンのものかもしれません。</translation>
    </message>
    <message>
        <source>The WebDAV server did not accept the user name or password.</source>
        <translation>WebDAV サーバーがユーザー名またはパスワードを受け付けませんでした。</translation>
    </message>
    <message>
        <source>The WebDAV server does not let this account change files in this folder.</source>
        <translation>WebDAV サーバーは、このアカウントがこのフォルダーのファイルを変更することを許可していません。</translation>
    </message>
    <message>
        <source>The WebDAV address was not found on the server: check the address.</source>
        <translation>サーバー上に WebDAV アドレスが見つかりません。アドレスを確認してください。</translation>
    </message>
    <message>
        <source>The WebDAV server has no space left (Insufficient Storage): free some space on it.</source>
        <translation>WebDAV サーバーの空き容量がありません（Insufficient Storage）。サーバーの空きを増やしてください。</translation>
    </message>
    <message>
        <source>The WebDAV server refused a file as too large.</source>
        <translation>WebDAV サーバーがファイルを大きすぎるとして拒否しました。</translation>
    </message>
    <message>
        <source>The WebDAV server&apos;s certificate could not be verified, so nothing was sent to it.</source>
        <translation>WebDAV サーバーの証明書を検証できなかったため、何も送信していません。</translation>
    </message>
    <message>
        <source>The WebDAV server could not be reached: check the address and the network connection.</source>
        <translation>WebDAV サーバーに接続できません。アドレスとネットワーク接続を確認してください。</translation>
    </message>
    <message>
        <source>The WebDAV server stopped answering (timed out).</source>
        <translation>WebDAV サーバーの応答が止まりました（タイムアウト）。</translation>
    </message>
    <message>
        <source>The WebDAV server had a problem; syncing will try again later.</source>
        <translation>WebDAV サーバーで問題が起きました。後でもう一度同期します。</translation>
    </message>
    <message>
        <source>The WebDAV server asked to slow down; syncing will try again later.</source>
        <translation>WebDAV サーバーから間隔を空けるよう求められました。後でもう一度同期します。</translation>
    </message>
    <message>
        <source>The WebDAV server sent an answer this app could not read.</source>
        <translation>WebDAV サーバーから、このアプリが読めない応答が返されました。</translation>
    </message>
    <message>
        <source>The WebDAV server sends this address elsewhere: enter the final address (often ending in /remote.php/dav/files/NAME/).</source>
        <translation>WebDAV サーバーはこのアドレスを別の場所に転送しています。転送先の最終アドレス（多くは /remote.php/dav/files/ユーザー名/ で終わります）を入力してください。</translation>
    </message>
    <message>
        <source>Enter the WebDAV address starting with https://.</source>
        <translation>https:// で始まる WebDAV アドレスを入力してください。</translation>
    </message>
    <message>
        <source>The WebDAV address must not contain a user name or password: enter them in their own fields.</source>
        <translation>WebDAV アドレスにユーザー名やパスワードを含めないでください。それぞれの欄に入力してください。</translation>
    </message>
    <message>
        <source>Use an https:// address: over http:// the password would cross the network unencrypted.</source>
        <translation>https:// のアドレスを使ってください。http:// ではパスワードが暗号化されずにネットワークを流れます。</translation>
    </message>
    <message>
        <source>The WebDAV address must not contain ? or #.</source>
        <translation>WebDAV アドレスに ? や # を含めないでください。</translation>
    </message>
    <message>
        <source>%1 is cut short. It was skipped and will be tried again at the next sync.</source>
        <translation>%1 は途中で切れています。スキップしました。次の同期でもう一度試します。</translation>
    </message>
    <message>
        <source>%1 is damaged or was not written for this sync location. It was skipped and will be tried again at the next sync.</source>
        <translation>%1 は壊れているか、この同期先のために書かれたものではありません。スキップしました。次の同期でもう一度試します。</translation>
    </message>
    <message>
        <source>The sync passphrase is not in the system keyring: set sync up again in Settings.</source>
        <translation>同期パスフレーズがシステムのキーリングにありません。設定で同期をもう一度設定してください。</translation>
    </message>
    <message>
        <source>Sync stopped because of an unexpected problem; the details are in the log file.</source>
        <translation>予期しない問題で同期が止まりました。詳細はログファイルにあります。</translation>
    </message>
    <message>
        <source>The sync passphrase needs at least 8 characters.</source>
        <translation>同期パスフレーズは 8 文字以上にしてください。</translation>
    </message>
    <message>
        <source>The sync folder does not exist: create it (or let your sync engine create it) first.</source>
        <translation>同期フォルダーがありません。先に作成してください（または同期ツールに作成させてください）。</translation>
    </message>
    <message>
        <source>No usable system keyring was found, so the sync passphrase cannot be kept safely.</source>
        <translation>使えるシステムのキーリングが見つからないため、同期パスフレーズを安全に保存できません。</translation>
    </message>
    <message>
        <source>A file in the sync location does not hold what its name says. It was skipped and will be tried again at the next sync.</source>
        <translation>同期先のファイルの中身が名前と一致しません。スキップしました。次の同期でもう一度試します。</translation>
    </message>
    <message>
        <source>The sync folder %1 does not exist or is not a folder.</source>
        <translation>同期フォルダー %1 が存在しないか、フォルダーではありません。</translation>
    </message>
    <message>
        <source>The sync location could not be used (%1).</source>
        <translation>同期先を使えませんでした（%1）。</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Keep the same conversations on every computer. Everything is encrypted with your passphrase before it leaves this computer: the folder or the server only ever holds ciphertext.</source>
        <translation>どのコンピューターでも同じ会話を使えます。すべてはこのコンピューターを出る前にパスフレーズで暗号化され、フォルダーやサーバーには暗号文しか置かれません。</translation>
    </message>
    <message>
        <source>A synced folder (Syncthing, Nextcloud, Dropbox, a network share…)</source>
        <translation>同期フォルダー（Syncthing、Nextcloud、Dropbox、ネットワーク共有…）</translation>
    </message>
    <message>
        <source>A WebDAV server</source>
        <translation>WebDAV サーバー</translation>
    </message>
    <message>
        <source>The folder your sync engine keeps the same everywhere</source>
        <translation>同期ツールがどこでも同じ内容に保つフォルダー</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>Set up sync</source>
        <translation>同期を設定</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>フォルダー:</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>アドレス:</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>ユーザー名:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>パスワード:</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>パスフレーズ:</translation>
    </message>
    <message>
        <source>Passphrase again:</source>
        <translation>パスフレーズ（確認）:</translation>
    </message>
    <message>
        <source>Use the same passphrase on every computer. It cannot be recovered: without it the synced copy cannot be read.</source>
        <translation>どのコンピューターでも同じパスフレーズを使ってください。パスフレーズは復元できず、なければ同期されたコピーを読めません。</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>今すぐ同期</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Leave sync…</source>
        <translation>同期をやめる…</translation>
    </message>
    <message>
        <source>Leaving stops syncing on this computer and forgets the passphrase here; every conversation stays on this computer.</source>
        <translation>やめると、このコンピューターでの同期を止め、ここに保存したパスフレーズを消去します。会話はすべてこのコンピューターに残ります。</translation>
    </message>
    <message>
        <source>Syncing with %1</source>
        <translation>%1 と同期中</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Sync folder</source>
        <translation>同期フォルダー</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>2 つのパスフレーズが一致しません。</translation>
    </message>
    <message>
        <source>Choose the folder to sync through.</source>
        <translation>同期に使うフォルダーを選んでください。</translation>
    </message>
    <message>
        <source>Checking the sync location…</source>
        <translation>同期先を確認しています…</translation>
    </message>
    <message>
        <source>Leave sync</source>
        <translation>同期をやめる</translation>
    </message>
    <message>
        <source>Stop syncing on this computer? Its conversations stay here, and the synced copy stays where it is for your other computers.</source>
        <translation>このコンピューターでの同期を止めますか？会話はここに残り、同期されたコピーもほかのコンピューターのためにそのまま残ります。</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Syncing…</source>
        <translation>同期中…</translation>
    </message>
    <message>
        <source>Sync failed: %1</source>
        <translation>同期に失敗しました: %1</translation>
    </message>
    <message>
        <source>Sync paused</source>
        <translation>同期を一時停止中</translation>
    </message>
    <message>
        <source>Synced at %1</source>
        <translation>%1 に同期</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>まだ同期していません</translation>
    </message>
    <message>
        <source>%1 changes waiting</source>
        <translation>%1 件の変更が待機中</translation>
    </message>
    <message>
        <source>%1 files could not be read</source>
        <translation>%1 個のファイルを読めませんでした</translation>
    </message>
    <message>
        <source>Sync settings</source>
        <translation>同期の設定</translation>
    </message>
</context>
<context>
    <name>ThinkingSection</name>
    <message>
        <source>Thinking… %1 s</source>
        <translation>思考中… %1 秒</translation>
    </message>
    <message>
        <source>Thought for %1 s</source>
        <translation>%1 秒間思考しました</translation>
    </message>
    <message>
        <source>Thought process</source>
        <translation>思考プロセス</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 トークン</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>引数</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>実行中…</translation>
    </message>
    <message>
        <source>Allow once</source>
        <translation>今回のみ許可</translation>
    </message>
    <message>
        <source>Always for this conversation</source>
        <translation>この会話では常に許可</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>拒否</translation>
    </message>
    <message>
        <source>Allow %1 to run?</source>
        <translation>%1 の実行を許可しますか？</translation>
    </message>
    <message>
        <source>Allow %1 to read %2?</source>
        <translation>%1 に %2 の読み取りを許可しますか？</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>承認待ち</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>拒否済み</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ミリ秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
</context>
<context>
    <name>ToolsButton</name>
    <message>
        <source>Web search</source>
        <translation>Web 検索</translation>
    </message>
    <message>
        <source>Web extractor (reads the pages it finds)</source>
        <translation>Web 抽出（見つけたページを読む）</translation>
    </message>
    <message>
        <source>Code interpreter</source>
        <translation>コードインタープリター</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>日付と時刻</translation>
    </message>
    <message>
        <source>Calculator</source>
        <translation>計算機</translation>
    </message>
    <message>
        <source>Read a local file (asks first)</source>
        <translation>ローカルファイルを読む（事前に確認）</translation>
    </message>
    <message>
        <source>Tools the model may call in this conversation</source>
        <translation>この会話でモデルが呼び出せるツール</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>ツール</translation>
    </message>
    <message>
        <source>MCP servers</source>
        <translation>MCP サーバー</translation>
    </message>
    <message>
        <source>Run by the service (Responses API)</source>
        <translation>サービス側で実行（Responses API）</translation>
    </message>
</context>
<context>
    <name>TrashPanel</name>
    <message>
        <source>Back to the conversations</source>
        <translation>会話一覧に戻る</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>ゴミ箱</translation>
    </message>
    <message>
        <source>The trash is empty.</source>
        <translation>ゴミ箱は空です。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Delete forever</source>
        <translation>完全に削除</translation>
    </message>
    <message>
        <source>Empty trash</source>
        <translation>ゴミ箱を空にする</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 日</translation>
    </message>
    <message>
        <source>Delete for good after</source>
        <translation>完全に削除するまで</translation>
    </message>
    <message>
        <source>Untitled conversation</source>
        <translation>無題の会話</translation>
    </message>
    <message>
        <source>deleted %1 · %2 messages · %3 days left</source>
        <translation>%1 に削除 · %2 件のメッセージ · 残り %3 日</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Show Qwen Desktop</source>
        <translation>Qwen Desktop を表示</translation>
    </message>
    <message>
        <source>The reply failed.</source>
        <translation>返信に失敗しました。</translation>
    </message>
    <message>
        <source>The reply is ready.</source>
        <translation>返信が届きました。</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>新しい会話</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <source>Conversation deleted.</source>
        <translation>会話を削除しました。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
</context>
<context>
    <name>UsageWindow</name>
    <message>
        <source>Last 7 days</source>
        <translation>過去 7 日間</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>過去 30 日間</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>過去 90 日間</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全期間</translation>
    </message>
    <message>
        <source>By model</source>
        <translation>モデル別</translation>
    </message>
    <message>
        <source>By region</source>
        <translation>リージョン別</translation>
    </message>
    <message>
        <source>Export usage</source>
        <translation>使用量をエクスポート</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
    <message>
        <source>Usage — Qwen Desktop</source>
        <translation>使用量 — Qwen Desktop</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV をエクスポート…</translation>
    </message>
    <message>
        <source>Tokens per day</source>
        <translation>1 日あたりのトークン</translation>
    </message>
    <message>
        <source>Estimated cost per day</source>
        <translation>1 日あたりの推定料金</translation>
    </message>
    <message>
        <source>Cached share of input</source>
        <translation>入力に占めるキャッシュの割合</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>応答数</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>キャッシュ</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>料金</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>不明なモデル</translation>
    </message>
    <message>
        <source>Cached input</source>
        <translation>キャッシュ入力</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 トークン</translation>
    </message>
    <message>
        <source>%1 replies</source>
        <translation>%1 件の応答</translation>
    </message>
    <message>
        <source>%1% of input cached</source>
        <translation>入力の %1% がキャッシュ</translation>
    </message>
    <message>
        <source>%1 web searches, ~%2 input tokens from their results</source>
        <translation>Web 検索 %1 回、検索結果の入力 約 %2 トークン</translation>
    </message>
    <message>
        <source>No replies with usage in this range yet.</source>
        <translation>この期間には使用量のある応答がまだありません。</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>リージョン</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 に書き込めませんでした：%2</translation>
    </message>
    <message>
        <source>Exported %1 replies to %2</source>
        <translation>%1 件の応答を %2 にエクスポートしました</translation>
    </message>
</context>
<context>
    <name>UserMessageWidget</name>
    <message>
        <source>Edit</source>
        <translation>編集</translation>
    </message>
    <message>
        <source>Edit and resend</source>
        <translation>編集して再送信</translation>
    </message>
    <message>
        <source>Delete with its answer</source>
        <translation>回答と一緒に削除</translation>
    </message>
</context>
<context>
    <name>VersionSwitcher</name>
    <message>
        <source>Previous version</source>
        <translation>前のバージョン</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>次のバージョン</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Version %1 of %2</source>
        <translation>バージョン %1 / %2</translation>
    </message>
</context>
<context>
    <name>VisionBanner</name>
    <message>
        <source>Remove the images</source>
        <translation>画像を削除</translation>
    </message>
    <message>
        <source>%1 cannot see images.</source>
        <translation>%1 は画像を認識できません。</translation>
    </message>
    <message>
        <source>Switch to %1 and send</source>
        <translation>%1 に切り替えて送信</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <source>Chat with Qwen models on Alibaba Cloud Model Studio, right from your desktop.</source>
        <translation>Alibaba Cloud Model Studio の Qwen モデルと、デスクトップから直接チャットできます。</translation>
    </message>
    <message>
        <source>Paste your API key (sk-…)</source>
        <translation>API キーを貼り付け（sk-…）</translation>
    </message>
    <message>
        <source>Test and save</source>
        <translation>テストして保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Use a company gateway or another address…</source>
        <translation>社内ゲートウェイや別のアドレスを使う…</translation>
    </message>
    <message>
        <source>The key is kept in your system keyring. You can add keys for other regions later in Settings.</source>
        <translation>キーはシステムのキーリングに保存されます。ほかのリージョンのキーは、あとで設定から追加できます。</translation>
    </message>
    <message>
        <source>Where is your Model Studio account?</source>
        <translation>Model Studio アカウントのリージョンはどこですか？</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API キー</translation>
    </message>
    <message>
        <source>&lt;a href=&quot;%1&quot;&gt;Get an API key&lt;/a&gt; for %2</source>
        <translation>&lt;a href=&quot;%1&quot;&gt;%2 の API キーを取得&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Test cancelled: the key was not saved.</source>
        <translation>テストを取り消しました。キーは保存していません。</translation>
    </message>
    <message>
        <source>Paste your API key first.</source>
        <translation>まず API キーを貼り付けてください。</translation>
    </message>
    <message>
        <source>Testing the key with %1…</source>
        <translation>%1 でキーをテストしています…</translation>
    </message>
    <message>
        <source>%1 could not be reached: check the internet connection, or a proxy or firewall in between, then test again.</source>
        <translation>%1 に接続できませんでした。インターネット接続や、途中のプロキシ・ファイアウォールを確認してから、もう一度テストしてください。</translation>
    </message>
    <message>
        <source>Save it for %1</source>
        <translation>%1 用に保存</translation>
    </message>
    <message>
        <source>The key works for %1 and is saved.</source>
        <translation>このキーは %1 で使用でき、保存しました。</translation>
    </message>
</context>
<context>
    <name>_DocumentCard</name>
    <message>
        <source>Remove this document</source>
        <translation>このドキュメントを削除</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 を削除</translation>
    </message>
</context>
<context>
    <name>_Optional</name>
    <message>
        <source>Model default</source>
        <translation>モデルの既定値</translation>
    </message>
</context>
<context>
    <name>_Thumb</name>
    <message>
        <source>Remove this image</source>
        <translation>この画像を削除</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 を削除</translation>
    </message>
</context>
</TS>
