<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>The list of third-party licences is missing from this build.</source>
        <translation>此版本缺少第三方许可证列表。</translation>
    </message>
    <message>
        <source>About %1</source>
        <translation>关于 %1</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>A desktop chat client for Alibaba Cloud Model Studio and the Qwen models.</source>
        <translation>面向阿里云百炼与通义千问模型的桌面聊天客户端。</translation>
    </message>
    <message>
        <source>Licensed under the %1.</source>
        <translation>依据 %1 授权。</translation>
    </message>
    <message>
        <source>Built with Qt %1 (PySide6 %2), used under the LGPLv3 and linked dynamically.</source>
        <translation>基于 Qt %1（PySide6 %2）构建，依据 LGPLv3 使用并以动态方式链接。</translation>
    </message>
    <message>
        <source>Third-party software</source>
        <translation>第三方软件</translation>
    </message>
</context>
<context>
    <name>ActionBar</name>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Something unexpected went wrong. Your conversations are saved; the details are in the log file.</source>
        <translation>发生了意外错误。您的对话已保存，详细信息见日志文件。</translation>
    </message>
</context>
<context>
    <name>AppearancePage</name>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation>Enter 发送，Shift+Enter 换行</translation>
    </message>
    <message>
        <source>Ctrl+Enter sends, Enter starts a new line</source>
        <translation>Ctrl+Enter 发送，Enter 换行</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Restart Qwen Desktop to change the language.</source>
        <translation>重新启动 Qwen Desktop 后语言才会更改。</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>发送方式</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>Ctrl+= and Ctrl+- change it too; Ctrl+0 returns to the system&apos;s size</source>
        <translation>Ctrl+= 和 Ctrl+- 也可调整；Ctrl+0 恢复系统字号</translation>
    </message>
    <message>
        <source>Text size</source>
        <translation>文字大小</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window closes, so replies finish in the background</source>
        <translation>关闭窗口时留在系统托盘中运行，回复会在后台完成</translation>
    </message>
    <message>
        <source>This desktop shows no tray icons.</source>
        <translation>此桌面不显示托盘图标。</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source> s without progress</source>
        <translation> 秒无进展</translation>
    </message>
    <message>
        <source> min in all</source>
        <translation> 分钟总计</translation>
    </message>
    <message>
        <source>A reply is given up when the service sends nothing new for this long, or when it takes longer than this in all; what arrived is kept</source>
        <translation>服务在这段时间内没有发送任何新内容，或回复总用时超过此时长时，放弃该回复；已收到的内容会保留</translation>
    </message>
    <message>
        <source>Give up a reply after</source>
        <translation>回复超时</translation>
    </message>
</context>
<context>
    <name>AssistantActions</name>
    <message>
        <source>New conversation &amp;with…</source>
        <translation>新对话，使用助手(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Assistants…</source>
        <translation>助手(&amp;A)…</translation>
    </message>
    <message>
        <source>Save settings as an &amp;assistant…</source>
        <translation>将设置保存为助手(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Update the assistant from this conversation</source>
        <translation>用此对话更新助手(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Detach from the assistant</source>
        <translation>与助手解除关联(&amp;D)</translation>
    </message>
    <message>
        <source>That assistant no longer exists.</source>
        <translation>该助手已不存在。</translation>
    </message>
    <message>
        <source>New conversation with %1</source>
        <translation>新对话：%1</translation>
    </message>
    <message>
        <source>The assistant “%1” now has this conversation&apos;s settings.</source>
        <translation>助手“%1”现在使用此对话的设置。</translation>
    </message>
</context>
<context>
    <name>AssistantChip</name>
    <message>
        <source>No assistant</source>
        <translation>无助手</translation>
    </message>
    <message>
        <source>This conversation does not follow an assistant</source>
        <translation>此对话未关联助手</translation>
    </message>
    <message>
        <source>Started from the assistant “%1”</source>
        <translation>从助手“%1”开始</translation>
    </message>
</context>
<context>
    <name>AssistantEditor</name>
    <message>
        <source>For example: Translator</source>
        <translation>例如：翻译</translation>
    </message>
    <message>
        <source>An emoji or one or two letters; empty shows the name&apos;s first letter</source>
        <translation>一个表情符号或一两个字母；留空则显示名称的首字</translation>
    </message>
    <message>
        <source>What the assistant is told before every conversation, for example: you translate between English and Chinese.</source>
        <translation>每次对话前告诉助手的内容，例如：你负责中英互译。</translation>
    </message>
    <message>
        <source>Temperature and generation parameters</source>
        <translation>温度和生成参数</translation>
    </message>
    <message>
        <source>Settings left as in Settings&apos; defaults are not stored: they follow the defaults.</source>
        <translation>与“设置”中默认值相同的项不会保存：它们跟随默认值。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Icon and colour</source>
        <translation>图标和颜色</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Model and settings</source>
        <translation>模型和设置</translation>
    </message>
    <message>
        <source>No colour</source>
        <translation>无颜色</translation>
    </message>
</context>
<context>
    <name>AssistantFiles</name>
    <message>
        <source>Assistants (*.json)</source>
        <translation>助手 (*.json)</translation>
    </message>
    <message>
        <source>Export assistants</source>
        <translation>导出助手</translation>
    </message>
    <message>
        <source>assistants</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Exported %1 assistants to %2.</source>
        <translation>已将 %1 个助手导出到 %2。</translation>
    </message>
    <message>
        <source>Import assistants</source>
        <translation>导入助手</translation>
    </message>
    <message>
        <source>Imported %1 assistants from %2.</source>
        <translation>已从 %2 导入 %1 个助手。</translation>
    </message>
    <message>
        <source>%1 already here were replaced.</source>
        <translation>已替换 %1 个已有的助手。</translation>
    </message>
</context>
<context>
    <name>AssistantLibraryDialog</name>
    <message>
        <source>Assistants</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Search names and prompts</source>
        <translation>搜索名称和提示词</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>A new assistant from scratch</source>
        <translation>从空白新建助手</translation>
    </message>
    <message>
        <source>From this conversation</source>
        <translation>从此对话创建</translation>
    </message>
    <message>
        <source>A new assistant with the settings of the open conversation</source>
        <translation>用当前对话的设置新建助手</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add the assistants of a JSON file</source>
        <translation>添加 JSON 文件中的助手</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Write every assistant to a JSON file</source>
        <translation>将所有助手写入 JSON 文件</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Start a conversation</source>
        <translation>开始对话</translation>
    </message>
    <message>
        <source>A new conversation with this assistant</source>
        <translation>用此助手开始新对话</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Make default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <source>New conversations (Ctrl+N) start from this assistant</source>
        <translation>新对话（Ctrl+N）从此助手开始</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>New assistant</source>
        <translation>新助手</translation>
    </message>
    <message>
        <source>My assistant</source>
        <translation>我的助手</translation>
    </message>
    <message>
        <source>Name it, then Save.</source>
        <translation>起个名字，然后保存。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Copied: rename it and Save.</source>
        <translation>已复制：改个名字然后保存。</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <source>“%1” is back.</source>
        <translation>“%1”已恢复。</translation>
    </message>
    <message>
        <source>New conversations now start from “%1”.</source>
        <translation>新对话现在从“%1”开始。</translation>
    </message>
</context>
<context>
    <name>AssistantMessageWidget</name>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Regenerate reply</source>
        <translation>重新生成回复</translation>
    </message>
    <message>
        <source>Context…</source>
        <translation>上下文…</translation>
    </message>
    <message>
        <source>Show what was sent with this request</source>
        <translation>查看此请求发送了哪些内容</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue this reply where it was cut off</source>
        <translation>从中断处继续这条回复</translation>
    </message>
    <message>
        <source>Delete this reply</source>
        <translation>删除这条回复</translation>
    </message>
    <message>
        <source>cut off at the output limit</source>
        <translation>已达输出上限而截断</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Show the rest of this reply (%1 more characters)</source>
        <translation>显示此回复的其余部分（还有 %1 个字符）</translation>
    </message>
</context>
<context>
    <name>AssistantOffer</name>
    <message>
        <source>Update the assistant</source>
        <translation>更新助手</translation>
    </message>
    <message>
        <source>Detach</source>
        <translation>解除关联</translation>
    </message>
    <message>
        <source>Keep these settings; the conversation no longer follows the assistant</source>
        <translation>保留这些设置；此对话不再跟随助手</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>These settings differ from the assistant “%1”.</source>
        <translation>这些设置与助手“%1”不同。</translation>
    </message>
    <message>
        <source>Save this conversation&apos;s settings into “%1” for its next conversations</source>
        <translation>把此对话的设置存入“%1”，供以后的对话使用</translation>
    </message>
</context>
<context>
    <name>AssistantPicker</name>
    <message>
        <source>New conversation with…</source>
        <translation>新对话，使用助手…</translation>
    </message>
    <message>
        <source>Type to find an assistant, Enter to start</source>
        <translation>输入以查找助手，按 Enter 开始</translation>
    </message>
    <message>
        <source>No assistant matches.</source>
        <translation>没有匹配的助手。</translation>
    </message>
    <message>
        <source>%1 (default model)</source>
        <translation>%1（默认模型）</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Manage assistants…</source>
        <translation>管理助手…</translation>
    </message>
</context>
<context>
    <name>Assistants</name>
    <message>
        <source>The assistant could not be saved.</source>
        <translation>无法保存该助手。</translation>
    </message>
</context>
<context>
    <name>AttachmentTray</name>
    <message>
        <source>Preparing attachments…</source>
        <translation>正在准备附件…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop reading the files still being prepared</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CatalogRow</name>
    <message>
        <source>Install a newer catalog…</source>
        <translation>安装更新的目录…</translation>
    </message>
    <message>
        <source>Catalog of %1 (%2 models)</source>
        <translation>%1 版目录（%2 个模型）</translation>
    </message>
    <message>
        <source>Choose a model catalog file</source>
        <translation>选择模型目录文件</translation>
    </message>
    <message>
        <source>Model catalog (*.json)</source>
        <translation>模型目录 (*.json)</translation>
    </message>
    <message>
        <source>Checking the catalog…</source>
        <translation>正在检查目录…</translation>
    </message>
    <message>
        <source>%1 The current catalog (%2) is kept.</source>
        <translation>%1 当前目录（%2）保持不变。</translation>
    </message>
    <message>
        <source>Installed the model catalog of %1 (%2 models).</source>
        <translation>已安装 %1 版模型目录（%2 个模型）。</translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <source>Command palette</source>
        <translation>命令面板</translation>
    </message>
    <message>
        <source>Type an action or a conversation&apos;s title</source>
        <translation>输入操作名称或对话标题</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Images (%1)</source>
        <translation>图片 (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加文件</translation>
    </message>
    <message>
        <source>Images and documents (%1)</source>
        <translation>图片和文档 (%1)</translation>
    </message>
    <message>
        <source>Documents (%1)</source>
        <translation>文档 (%1)</translation>
    </message>
    <message>
        <source>Attach images or documents (or paste or drop them here)</source>
        <translation>添加图片或文档（也可以粘贴或拖放到这里）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复 (Esc)</translation>
    </message>
    <message>
        <source>Message Qwen… (Enter to send, Shift+Enter for a new line)</source>
        <translation>给 Qwen 发消息…（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Message Qwen… (Ctrl+Enter to send)</source>
        <translation>给 Qwen 发消息…（Ctrl+Enter 发送）</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
</context>
<context>
    <name>ComposerEdit</name>
    <message>
        <source>Message Qwen… (Enter to send, Shift+Enter for a new line)</source>
        <translation>给 Qwen 发消息…（Enter 发送，Shift+Enter 换行）</translation>
    </message>
</context>
<context>
    <name>ContextActions</name>
    <message>
        <source>Indexing stopped: rounds not yet indexed cannot be retrieved until it runs again.</source>
        <translation>索引已停止：尚未建立索引的轮次在重新索引前无法被检索。</translation>
    </message>
    <message>
        <source>Retrieval is ready: %1 earlier rounds indexed.</source>
        <translation>检索已就绪：已为 %1 轮历史对话建立索引。</translation>
    </message>
    <message>
        <source>Indexing for retrieval failed: %1 This conversation now sends the last %2 rounds.</source>
        <translation>为检索建立索引失败：%1 此对话现改为发送最近 %2 轮。</translation>
    </message>
    <message>
        <source>What will be sent</source>
        <translation>将要发送的内容</translation>
    </message>
    <message>
        <source>This reply has no record of what was sent.</source>
        <translation>此回复没有记录发送的内容。</translation>
    </message>
    <message>
        <source>Context of this reply</source>
        <translation>此回复的上下文</translation>
    </message>
</context>
<context>
    <name>ContextInspector</name>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Summary of earlier messages</source>
        <translation>早期消息摘要</translation>
    </message>
    <message>
        <source>Retrieved rounds</source>
        <translation>检索到的轮次</translation>
    </message>
    <message>
        <source>Recent rounds</source>
        <translation>最近几轮</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>新消息</translation>
    </message>
    <message>
        <source>Kept by the service (not sent again)</source>
        <translation>由服务端保留（不再发送）</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <source>Full history</source>
        <translation>完整历史</translation>
    </message>
    <message>
        <source>Last N rounds</source>
        <translation>最近 N 轮</translation>
    </message>
    <message>
        <source>Rolling summary</source>
        <translation>滚动摘要</translation>
    </message>
    <message>
        <source>Retrieval</source>
        <translation>检索</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>%1 · %2 tokens of %3 (budget %4)</source>
        <translation>%1 · %2 / %3 个词元（预算 %4）</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>%1 messages folded into it</source>
        <translation>已合并 %1 条消息</translation>
    </message>
    <message>
        <source>picked when you send, by similarity to your message</source>
        <translation>发送时按与消息的相似度选取</translation>
    </message>
    <message>
        <source>the model did not see these</source>
        <translation>模型未看到这些内容</translation>
    </message>
    <message>
        <source>This request would not fit the input window under the current policy.</source>
        <translation>按当前策略，此请求会超出输入长度上限。</translation>
    </message>
    <message>
        <source>Explicit cache: the first %1 tokens are marked for caching.</source>
        <translation>显式缓存：前 %1 个词元已标记为缓存。</translation>
    </message>
    <message>
        <source>Images: %1 tokens of the total.</source>
        <translation>图片：占总数中的 %1 个词元。</translation>
    </message>
    <message>
        <source>Learned from the service: %1</source>
        <translation>从服务了解到：%1</translation>
    </message>
    <message>
        <source>Parameters sent: %1</source>
        <translation>发送的参数：%1</translation>
    </message>
    <message>
        <source>Parameters sent: none (the model&apos;s defaults)</source>
        <translation>发送的参数：无（模型默认值）</translation>
    </message>
    <message>
        <source>Responses API: the service keeps the earlier turns, so only the new message is sent (continuing from response %1).</source>
        <translation>Responses API：服务端保留了之前的轮次，因此只发送新消息（接续响应 %1）。</translation>
    </message>
    <message>
        <source>The service no longer kept the earlier turns (their response expired or was deleted), so this request carried the history again, as the context policy built it.</source>
        <translation>服务端已不再保留之前的轮次（其响应已过期或被删除），因此本次请求按上下文策略重新发送了历史记录。</translation>
    </message>
    <message>
        <source>Responses API: the service keeps this turn, so the next request sends only the new message.</source>
        <translation>Responses API：服务端会保留这一轮，因此下一次请求只发送新消息。</translation>
    </message>
    <message>
        <source>The service reported %1 input tokens, %2 of them read from its cache.</source>
        <translation>服务端报告输入 %1 个词元，其中 %2 个来自缓存。</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
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
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Retrieved rounds</source>
        <translation>检索到的轮次</translation>
    </message>
    <message>
        <source>Recent rounds</source>
        <translation>最近几轮</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>新消息</translation>
    </message>
    <message>
        <source>of which images</source>
        <translation>其中图片</translation>
    </message>
    <message>
        <source>This conversation no longer fits the model&apos;s input window: switch the context policy to send it.</source>
        <translation>此对话已超出模型的输入长度：请切换上下文策略后再发送。</translation>
    </message>
</context>
<context>
    <name>ContextMeterWidget</name>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Show what fills the next request</source>
        <translation>查看下一次请求由哪些内容组成</translation>
    </message>
    <message>
        <source>What will be sent</source>
        <translation>将要发送的内容</translation>
    </message>
    <message>
        <source>Use a rolling summary</source>
        <translation>使用滚动摘要</translation>
    </message>
    <message>
        <source>Switch to last %1 rounds</source>
        <translation>切换为最近 %1 轮</translation>
    </message>
    <message>
        <source>%1 · %2 of %3 tokens</source>
        <translation>%1 · %2 / %3 个词元</translation>
    </message>
    <message>
        <source>Next request (estimate)</source>
        <translation>下一次请求（估算）</translation>
    </message>
    <message>
        <source>Budget: %1 tokens (room kept for the reply)</source>
        <translation>预算：%1 个词元（已为回复预留空间）</translation>
    </message>
    <message>
        <source>%1 tokens: only the new message; the service keeps %2 earlier messages</source>
        <translation>%1 个词元：仅新消息；服务端保留了之前的 %2 条消息</translation>
    </message>
    <message>
        <source>Responses API: the service holds this conversation&apos;s history, so the next request carries only your new message. After the reply, the inspector shows what the service counted as input.</source>
        <translation>Responses API：此对话的历史由服务端保存，因此下一次请求只携带你的新消息。回复后，可在检查器中查看服务端计入的输入。</translation>
    </message>
</context>
<context>
    <name>ConversationHeader</name>
    <message>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>输入 %1 · 输出 %2</translation>
    </message>
    <message>
        <source>%1% cached</source>
        <translation>%1% 命中缓存</translation>
    </message>
    <message>
        <source>This conversation so far: %1 input tokens (%2 from the cache), %3 output tokens (%4 reasoning)</source>
        <translation>此对话至今：输入 %1 个词元（其中缓存 %2），输出 %3 个词元（其中思考 %4）</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Pinned</source>
        <translation>已置顶</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>过去 7 天</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>更早</translation>
    </message>
</context>
<context>
    <name>ConversationSettingsBar</name>
    <message>
        <source>OpenAI-compatible</source>
        <translation>OpenAI 兼容</translation>
    </message>
    <message>
        <source>DashScope native</source>
        <translation>DashScope 原生</translation>
    </message>
    <message>
        <source>Responses API (history kept by the service)</source>
        <translation>Responses API（历史由服务端保存）</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>On with budget</source>
        <translation>开启（限定预算）</translation>
    </message>
    <message>
        <source>Full history</source>
        <translation>完整历史</translation>
    </message>
    <message>
        <source>Last N rounds</source>
        <translation>最近 N 轮</translation>
    </message>
    <message>
        <source>Rolling summary</source>
        <translation>滚动摘要</translation>
    </message>
    <message>
        <source>Retrieval</source>
        <translation>检索</translation>
    </message>
    <message>
        <source>Auto: the model decides</source>
        <translation>自动：由模型决定</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>始终</translation>
    </message>
    <message>
        <source>This model does not think</source>
        <translation>此模型不支持思考</translation>
    </message>
    <message>
        <source>This model always thinks</source>
        <translation>此模型始终思考</translation>
    </message>
    <message>
        <source>Whether the model reasons before it answers</source>
        <translation>模型回答前是否先进行思考</translation>
    </message>
    <message>
        <source>Listed by the region on %1; not in the catalog: the app learns what it can do from the service&apos;s answers</source>
        <translation>该区域于 %1 列出；目录中没有：应用会从服务的回答中了解它的能力</translation>
    </message>
    <message>
        <source>Models of the catalog of %1 and the region&apos;s list of %2</source>
        <translation>%1 版模型目录与该区域 %2 的模型列表</translation>
    </message>
    <message>
        <source>Models of the catalog of %1</source>
        <translation>%1 版模型目录</translation>
    </message>
    <message>
        <source>Region: each has its own API key</source>
        <translation>地域：每个地域有各自的 API Key</translation>
    </message>
    <message>
        <source>Wire protocol</source>
        <translation>接口协议</translation>
    </message>
    <message>
        <source>Model: pick one or type any model name</source>
        <translation>模型：从列表中选择，或输入任意模型名称</translation>
    </message>
    <message>
        <source>Most tokens the model may spend thinking</source>
        <translation>模型思考最多可使用的词元数</translation>
    </message>
    <message>
        <source>What earlier messages are sent</source>
        <translation>发送哪些历史消息</translation>
    </message>
    <message>
        <source>How many recent rounds are sent</source>
        <translation>发送最近多少轮对话</translation>
    </message>
    <message>
        <source>N = </source>
        <translation>N = </translation>
    </message>
    <message>
        <source>System prompt and temperature</source>
        <translation>系统提示词与温度</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>%1: pick a model or type any model name</source>
        <translation>%1：从列表中选择，或输入任意模型名称</translation>
    </message>
</context>
<context>
    <name>CustomRegionForm</name>
    <message>
        <source>Custom region</source>
        <translation>自定义地域</translation>
    </message>
    <message>
        <source>e.g. my-proxy</source>
        <translation>例如 my-proxy</translation>
    </message>
    <message>
        <source>e.g. Company gateway</source>
        <translation>例如 公司网关</translation>
    </message>
    <message>
        <source>Add region</source>
        <translation>添加地域</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Base URL</translation>
    </message>
    <message>
        <source>New custom region</source>
        <translation>新建自定义地域</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
    <message>
        <source>Save region</source>
        <translation>保存地域</translation>
    </message>
</context>
<context>
    <name>DataActions</name>
    <message>
        <source>Markdown, to read (*.md)</source>
        <translation>Markdown，便于阅读 (*.md)</translation>
    </message>
    <message>
        <source>Markdown with every version of replies (*.md)</source>
        <translation>Markdown，包含回复的所有版本 (*.md)</translation>
    </message>
    <message>
        <source>JSON, to import again (*.json)</source>
        <translation>JSON，可再次导入 (*.json)</translation>
    </message>
    <message>
        <source>Qwen Desktop backups (*.zip)</source>
        <translation>Qwen Desktop 备份 (*.zip)</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Export all conversations…</source>
        <translation>导出全部对话…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Back up data…</source>
        <translation>备份数据…</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Export, import, back up and restore</source>
        <translation>导出、导入、备份和恢复</translation>
    </message>
    <message>
        <source>this conversation</source>
        <translation>当前对话</translation>
    </message>
    <message>
        <source>all conversations</source>
        <translation>全部对话</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>导出%1</translation>
    </message>
    <message>
        <source>Import conversations</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <source>Back up data into a folder</source>
        <translation>将数据备份到文件夹</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>The backup is ready (conversations in it: %1): restart Qwen Desktop to restore it. The current data will be kept beside it, not deleted.</source>
        <translation>备份已准备就绪（其中的对话：%1）：重新启动 Qwen Desktop 即可恢复。当前数据会保留在旁边，不会被删除。</translation>
    </message>
    <message>
        <source>Exported %1 to %2.</source>
        <translation>已将 %1导出到 %2。</translation>
    </message>
    <message>
        <source>Imported %1.</source>
        <translation>已导入 %1。</translation>
    </message>
    <message>
        <source>1 conversation</source>
        <translation>1 个对话</translation>
    </message>
    <message>
        <source>%1 conversations</source>
        <translation>%1 个对话</translation>
    </message>
    <message>
        <source>Backed up to %1 (API keys are never included).</source>
        <translation>已备份到 %1（不包含 API Key）。</translation>
    </message>
    <message>
        <source>The file could not be written or read: %1</source>
        <translation>无法读写该文件：%1</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>操作未成功：%1</translation>
    </message>
</context>
<context>
    <name>DefaultsPage</name>
    <message>
        <source> tokens</source>
        <translation> 词元</translation>
    </message>
    <message>
        <source> rounds</source>
        <translation> 轮</translation>
    </message>
    <message>
        <source>Whether new conversations let the model search the web</source>
        <translation>新对话是否允许模型联网搜索</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Web search</source>
        <translation>联网搜索</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>New conversations start with these settings. Each conversation can change them in the bar above the chat.</source>
        <translation>新对话将使用以下设置。每个对话都可以在聊天区上方的工具栏中单独修改。</translation>
    </message>
</context>
<context>
    <name>DocumentReader</name>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>(This document has no text.)</source>
        <translation>（此文档没有文字。）</translation>
    </message>
    <message>
        <source>The document could not be read.</source>
        <translation>无法读取此文档。</translation>
    </message>
</context>
<context>
    <name>DocumentStrip</name>
    <message>
        <source>document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>%1 — no longer on disk</source>
        <translation>%1 — 已不在磁盘上</translation>
    </message>
</context>
<context>
    <name>DocumentSummary</name>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 页</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 页</translation>
    </message>
    <message>
        <source>1 sheet</source>
        <translation>1 个工作表</translation>
    </message>
    <message>
        <source>%1 sheets</source>
        <translation>%1 个工作表</translation>
    </message>
    <message>
        <source>1 slide</source>
        <translation>1 张幻灯片</translation>
    </message>
    <message>
        <source>%1 slides</source>
        <translation>%1 张幻灯片</translation>
    </message>
    <message>
        <source>scanned, no text layer</source>
        <translation>扫描件，无文字层</translation>
    </message>
    <message>
        <source>about %1 tokens</source>
        <translation>约 %1 个词元</translation>
    </message>
</context>
<context>
    <name>EditBanner</name>
    <message>
        <source>Editing a message: sending replaces it and every reply after it.</source>
        <translation>正在编辑消息：发送后将替换这条消息及其后的所有回复。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ErrorPanel</name>
    <message>
        <source>Retry in %1 s</source>
        <translation>%1 秒后重试</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
    <message>
        <source>Check the region&apos;s address</source>
        <translation>检查地域地址</translation>
    </message>
    <message>
        <source>Switch to OpenAI-compatible and retry</source>
        <translation>切换到 OpenAI 兼容并重试</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续生成</translation>
    </message>
    <message>
        <source>Request ID: %1</source>
        <translation>Request ID：%1</translation>
    </message>
    <message>
        <source>Open key settings</source>
        <translation>打开密钥设置</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Something went wrong.</source>
        <translation>出现了问题。</translation>
    </message>
    <message>
        <source>The service returned an error.</source>
        <translation>服务返回了错误。</translation>
    </message>
    <message>
        <source>The API key was rejected for this region.</source>
        <translation>此地域拒绝了该 API Key。</translation>
    </message>
    <message>
        <source>Too many requests right now: the service asked to slow down.</source>
        <translation>当前请求过多：服务要求降低请求频率。</translation>
    </message>
    <message>
        <source>The account cannot pay for this request: check its balance, free quota or billing.</source>
        <translation>账号无法支付此请求：请检查余额、免费额度或账单设置。</translation>
    </message>
    <message>
        <source>This key is not allowed to use this model.</source>
        <translation>此 API Key 无权使用该模型。</translation>
    </message>
    <message>
        <source>The request or reply was blocked by content moderation.</source>
        <translation>请求或回复被内容安全审核拦截。</translation>
    </message>
    <message>
        <source>The conversation is too long for this model: shorten it or change the context policy.</source>
        <translation>对话超出了此模型的长度上限：请缩短对话或更改上下文策略。</translation>
    </message>
    <message>
        <source>The service rejected a request parameter.</source>
        <translation>服务拒绝了某个请求参数。</translation>
    </message>
    <message>
        <source>This model does not exist or is not available in this region.</source>
        <translation>此模型不存在，或在该地域不可用。</translation>
    </message>
    <message>
        <source>This model is not offered over the OpenAI-compatible protocol: switch to DashScope native.</source>
        <translation>此模型不支持 OpenAI 兼容协议：请切换到 DashScope 原生协议。</translation>
    </message>
    <message>
        <source>This model does not take the Responses API: switch the conversation to the OpenAI-compatible protocol, or pick another model.</source>
        <translation>此模型不支持 Responses API：请将对话切换为 OpenAI 兼容协议，或选择其他模型。</translation>
    </message>
    <message>
        <source>The service no longer keeps this conversation&apos;s earlier turns.</source>
        <translation>服务端已不再保留此对话之前的轮次。</translation>
    </message>
    <message>
        <source>The region&apos;s address did not answer like Model Studio: check its base URL.</source>
        <translation>该地域地址的响应不像阿里云百炼：请检查其 Base URL。</translation>
    </message>
    <message>
        <source>The service had an internal error.</source>
        <translation>服务发生内部错误。</translation>
    </message>
    <message>
        <source>The service sent a reply this app could not read.</source>
        <translation>服务返回的内容无法被本应用解析。</translation>
    </message>
    <message>
        <source>Could not reach the service: check the network connection and the region&apos;s address.</source>
        <translation>无法连接到服务：请检查网络连接和地域地址。</translation>
    </message>
    <message>
        <source>The connection dropped before the reply finished.</source>
        <translation>回复完成前连接已断开。</translation>
    </message>
    <message>
        <source>The service stopped answering (timed out).</source>
        <translation>服务停止响应（超时）。</translation>
    </message>
    <message>
        <source>The settings are not valid.</source>
        <translation>设置无效。</translation>
    </message>
    <message>
        <source>No API key is set for this region.</source>
        <translation>此地域尚未设置 API Key。</translation>
    </message>
    <message>
        <source>That does not look like a Model Studio API key: keys start with &quot;sk-&quot;.</source>
        <translation>这看起来不是阿里云百炼的 API Key：API Key 以“sk-”开头。</translation>
    </message>
    <message>
        <source>No usable system keyring was found, so the API key cannot be stored safely. Install and unlock a Secret Service provider (for example gnome-keyring or KWallet).</source>
        <translation>未找到可用的系统密钥环，无法安全保存 API Key。请安装并解锁 Secret Service 提供程序（例如 gnome-keyring 或 KWallet）。</translation>
    </message>
    <message>
        <source>This file is not a Qwen Desktop export.</source>
        <translation>此文件不是 Qwen Desktop 导出的文件。</translation>
    </message>
    <message>
        <source>The conversation database could not be written.</source>
        <translation>无法写入对话数据库。</translation>
    </message>
    <message>
        <source>The disk is full: free some space so conversations can be saved.</source>
        <translation>磁盘已满：请释放一些空间以便保存对话。</translation>
    </message>
    <message>
        <source>The conversation database is locked by another program: close other copies of Qwen Desktop and try again.</source>
        <translation>对话数据库被其他程序锁定：请关闭其他正在运行的 Qwen Desktop 后重试。</translation>
    </message>
    <message>
        <source>The conversation database is damaged: restore it from a backup (a .bak file next to it) or move it away to start fresh.</source>
        <translation>对话数据库已损坏：请从备份（同目录下的 .bak 文件）恢复，或将其移走后重新开始。</translation>
    </message>
    <message>
        <source>The conversation database is read-only: check the permissions of its file and folder.</source>
        <translation>对话数据库为只读：请检查其文件和所在文件夹的权限。</translation>
    </message>
    <message>
        <source>The conversation database file could not be read or written: check the disk and its permissions.</source>
        <translation>无法读写对话数据库文件：请检查磁盘及其权限。</translation>
    </message>
    <message>
        <source>The conversation database was written by a newer version of Qwen Desktop.</source>
        <translation>对话数据库由更新版本的 Qwen Desktop 写入。</translation>
    </message>
    <message>
        <source>This file is not a Qwen Desktop conversation database.</source>
        <translation>此文件不是 Qwen Desktop 的对话数据库。</translation>
    </message>
    <message>
        <source>The conversation database is already closed.</source>
        <translation>对话数据库已关闭。</translation>
    </message>
    <message>
        <source>That conversation no longer exists.</source>
        <translation>该对话已不存在。</translation>
    </message>
    <message>
        <source>This conversation no longer fits the model&apos;s input window: switch the context policy to last N rounds, rolling summary or retrieval.</source>
        <translation>此对话已超出模型的输入长度：请将上下文策略切换为“最近 N 轮”“滚动摘要”或“检索”。</translation>
    </message>
    <message>
        <source>This message alone does not fit the model&apos;s input window: shorten it or attach less.</source>
        <translation>仅这条消息就超出了模型的输入长度：请缩短内容或减少附件。</translation>
    </message>
    <message>
        <source>This file cannot be sent as an image.</source>
        <translation>此文件无法作为图片发送。</translation>
    </message>
    <message>
        <source>At most 10 images can go in one message.</source>
        <translation>每条消息最多可包含 10 张图片。</translation>
    </message>
    <message>
        <source>This model cannot see images.</source>
        <translation>此模型无法理解图片。</translation>
    </message>
    <message>
        <source>An attached image is no longer available.</source>
        <translation>某张附加的图片已不可用。</translation>
    </message>
    <message>
        <source>A reply is still streaming in this conversation: stop it or wait for it to finish.</source>
        <translation>此对话仍在生成回复：请停止或等待其完成。</translation>
    </message>
    <message>
        <source>The tool failed.</source>
        <translation>工具执行失败。</translation>
    </message>
    <message>
        <source>Type a message first.</source>
        <translation>请先输入消息。</translation>
    </message>
    <message>
        <source>There is no question before this reply to answer again.</source>
        <translation>这条回复之前没有可重新回答的问题。</translation>
    </message>
    <message>
        <source>There is no partial reply to continue.</source>
        <translation>没有可继续生成的未完成回复。</translation>
    </message>
    <message>
        <source>This conversation no longer exists.</source>
        <translation>此对话已不存在。</translation>
    </message>
    <message>
        <source>Images cannot be sent: no attachment folder is set up.</source>
        <translation>无法发送图片：尚未设置附件文件夹。</translation>
    </message>
    <message>
        <source>The summarizer returned no text.</source>
        <translation>摘要模型没有返回任何文本。</translation>
    </message>
    <message>
        <source>The reply was cut off.</source>
        <translation>回复被截断了。</translation>
    </message>
    <message>
        <source>The region&apos;s host name could not be found: check its address.</source>
        <translation>找不到该地域的主机名：请检查其地址。</translation>
    </message>
    <message>
        <source>The connection was refused: check the region&apos;s address and port.</source>
        <translation>连接被拒绝：请检查地域的地址和端口。</translation>
    </message>
    <message>
        <source>The secure connection failed: check the region&apos;s address.</source>
        <translation>安全连接失败：请检查地域地址。</translation>
    </message>
    <message>
        <source>The settings contain something shaped like an API key, so they were not saved.</source>
        <translation>设置中包含疑似 API Key 的内容，因此未保存。</translation>
    </message>
    <message>
        <source>This export was written by a newer version of Qwen Desktop.</source>
        <translation>此导出文件由更新版本的 Qwen Desktop 生成。</translation>
    </message>
    <message>
        <source>An image in this export is damaged (its checksum does not match).</source>
        <translation>此导出文件中的某张图片已损坏（校验和不匹配）。</translation>
    </message>
    <message>
        <source>An assistant needs a name.</source>
        <translation>助手需要一个名称。</translation>
    </message>
    <message>
        <source>That assistant no longer exists.</source>
        <translation>该助手已不存在。</translation>
    </message>
    <message>
        <source>The assistant to copy no longer exists.</source>
        <translation>要复制的助手已不存在。</translation>
    </message>
    <message>
        <source>(request id %1)</source>
        <translation>（Request ID：%1）</translation>
    </message>
    <message>
        <source>Add a key for %1 in Settings.</source>
        <translation>请在设置中为%1添加 API Key。</translation>
    </message>
    <message>
        <source>The key works for %1.</source>
        <translation>该 API Key 可用于%1。</translation>
    </message>
    <message>
        <source>The key was rejected by %1.</source>
        <translation>%1拒绝了该 API Key。</translation>
    </message>
    <message>
        <source>This key belongs to %1, not %2: %3 and %4 keys differ.</source>
        <translation>该 API Key 属于%1，而不是%2：%3和%4的 API Key 不通用。</translation>
    </message>
    <message>
        <source>%1 cannot see images: switch this conversation to a vision model such as %2, or remove the images.</source>
        <translation>%1 无法理解图片：请将此对话切换到视觉模型（例如 %2），或移除图片。</translation>
    </message>
    <message>
        <source>The attached image %1 is no longer on disk: attach it again to send it.</source>
        <translation>附加的图片 %1 已不在磁盘上：请重新添加后再发送。</translation>
    </message>
    <message>
        <source>There is no region called %1.</source>
        <translation>不存在名为 %1 的地域。</translation>
    </message>
    <message>
        <source>There is no custom region called %1.</source>
        <translation>不存在名为 %1 的自定义地域。</translation>
    </message>
    <message>
        <source>The built-in region %1 cannot be removed.</source>
        <translation>内置地域 %1 不能删除。</translation>
    </message>
    <message>
        <source>The region id %1 belongs to a built-in region: choose another.</source>
        <translation>地域 ID %1 已被内置地域使用：请换一个。</translation>
    </message>
    <message>
        <source>The address %1 is not valid: it must start with http:// or https:// and name a host.</source>
        <translation>地址 %1 无效：必须以 http:// 或 https:// 开头并包含主机名。</translation>
    </message>
    <message>
        <source>%1 is empty (0 bytes).</source>
        <translation>%1 是空文件（0 字节）。</translation>
    </message>
    <message>
        <source>%1 does not exist any more.</source>
        <translation>%1 已不存在。</translation>
    </message>
    <message>
        <source>%1 is a folder, not an image file.</source>
        <translation>%1 是文件夹，不是图片文件。</translation>
    </message>
    <message>
        <source>%1 cannot be read: permission denied.</source>
        <translation>无法读取 %1：权限不足。</translation>
    </message>
    <message>
        <source>%1 has too many pixels to open safely.</source>
        <translation>%1 像素过多，无法安全打开。</translation>
    </message>
    <message>
        <source>%1 is damaged or incomplete, so it cannot be read.</source>
        <translation>%1 已损坏或不完整，无法读取。</translation>
    </message>
    <message>
        <source>%1 has no pixels.</source>
        <translation>%1 没有任何像素。</translation>
    </message>
    <message>
        <source>%1 cannot be made small enough to send.</source>
        <translation>%1 无法压缩到可发送的大小。</translation>
    </message>
    <message>
        <source>%1 is too large (%2): images up to %3 can be attached.</source>
        <translation>%1 过大（%2）：最多可附加 %3 的图片。</translation>
    </message>
    <message>
        <source>At most %1 images per message: %2 were added, so none were kept.</source>
        <translation>每条消息最多 %1 张图片：本次添加了 %2 张，因此均未保留。</translation>
    </message>
    <message>
        <source>At most %1 images per message: %2 were added, so the first %3 were kept.</source>
        <translation>每条消息最多 %1 张图片：本次添加了 %2 张，因此只保留了前 %3 张。</translation>
    </message>
    <message>
        <source>Only the first of its %1 frames is sent.</source>
        <translation>该图片共 %1 帧，只发送第一帧。</translation>
    </message>
    <message>
        <source>Turned upright as its EXIF orientation tag says.</source>
        <translation>已按 EXIF 方向标记将其转正。</translation>
    </message>
    <message>
        <source>Removed its metadata (camera, location and other details).</source>
        <translation>已移除其元数据（相机、位置等信息）。</translation>
    </message>
    <message>
        <source>Converted its colours to sRGB.</source>
        <translation>已将颜色转换为 sRGB。</translation>
    </message>
    <message>
        <source>A prompt needs a name.</source>
        <translation>提示词需要一个名称。</translation>
    </message>
    <message>
        <source>A prompt&apos;s name must be one line of at most %1 characters.</source>
        <translation>提示词名称必须是一行，最多 %1 个字符。</translation>
    </message>
    <message>
        <source>The prompt &apos;%1&apos; has no text.</source>
        <translation>提示词“%1”没有内容。</translation>
    </message>
    <message>
        <source>The prompt &apos;%1&apos; is longer than %2 characters.</source>
        <translation>提示词“%1”超过了 %2 个字符。</translation>
    </message>
    <message>
        <source>There is already a prompt called &apos;%1&apos;.</source>
        <translation>已经有名为“%1”的提示词。</translation>
    </message>
    <message>
        <source>The prompt &apos;%1&apos; no longer exists.</source>
        <translation>提示词“%1”已不存在。</translation>
    </message>
    <message>
        <source>%1 is not a prompts file: it is not valid JSON text.</source>
        <translation>%1 不是提示词文件：它不是有效的 JSON 文本。</translation>
    </message>
    <message>
        <source>%1 is not a prompts file exported by Qwen Desktop.</source>
        <translation>%1 不是 Qwen Desktop 导出的提示词文件。</translation>
    </message>
    <message>
        <source>%1 holds no list of prompts.</source>
        <translation>%1 中没有提示词列表。</translation>
    </message>
    <message>
        <source>There is no file %1 to import.</source>
        <translation>没有可导入的文件 %1。</translation>
    </message>
    <message>
        <source>There is already an assistant called %1.</source>
        <translation>已有名为 %1 的助手。</translation>
    </message>
    <message>
        <source>The assistant %1 no longer exists.</source>
        <translation>助手 %1 已不存在。</translation>
    </message>
    <message>
        <source>%1 is not an assistants file exported by Qwen Desktop.</source>
        <translation>%1 不是 Qwen Desktop 导出的助手文件。</translation>
    </message>
    <message>
        <source>%1 is not an assistants file: it is not valid JSON text.</source>
        <translation>%1 不是助手文件：它不是有效的 JSON 文本。</translation>
    </message>
    <message>
        <source>%1 holds no list of assistants.</source>
        <translation>%1 中没有助手列表。</translation>
    </message>
    <message>
        <source>%1 was written by a newer version of Qwen Desktop; update the app to import it.</source>
        <translation>%1 由更新版本的 Qwen Desktop 写入；请更新应用后再导入。</translation>
    </message>
    <message>
        <source>Assistant %1 in %2 cannot be imported: %3</source>
        <translation>%2 中的第 %1 个助手无法导入：%3</translation>
    </message>
    <message>
        <source>The assistants could not be written to %1: %2.</source>
        <translation>无法将助手写入 %1：%2。</translation>
    </message>
</context>
<context>
    <name>ExtrasPopup</name>
    <message>
        <source>Instructions sent before the conversation</source>
        <translation>在对话之前发送给模型的指令</translation>
    </message>
    <message>
        <source>For example: answer briefly and cite sources.</source>
        <translation>例如：回答简洁，并注明出处。</translation>
    </message>
    <message>
        <source>Higher is more varied, lower is more focused</source>
        <translation>越高越多样，越低越集中</translation>
    </message>
    <message>
        <source>Model default</source>
        <translation>模型默认值</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Cache the stable prefix (explicit cache)</source>
        <translation>缓存固定前缀（显式缓存）</translation>
    </message>
    <message>
        <source>Marks the system prompt and summary for caching: later requests read them at the cached-input price</source>
        <translation>将系统提示词和摘要标记为缓存：之后的请求按缓存输入价格读取</translation>
    </message>
    <message>
        <source>This model does not support explicit caching</source>
        <translation>此模型不支持显式缓存</translation>
    </message>
</context>
<context>
    <name>GenerationEditor</name>
    <message>
        <source>Sample only from the likeliest tokens whose chances add up to this</source>
        <translation>只从累计概率达到此值的最可能的词元中采样</translation>
    </message>
    <message>
        <source>Sample only from this many likeliest tokens</source>
        <translation>只从这么多个最可能的词元中采样</translation>
    </message>
    <message>
        <source>The reply stops after this many tokens</source>
        <translation>回复达到这么多词元后停止</translation>
    </message>
    <message>
        <source>The same seed and question give the same reply more often</source>
        <translation>相同的种子和问题更常得到相同的回复</translation>
    </message>
    <message>
        <source>Above 0 steers away from what was already said</source>
        <translation>大于 0 时避开已经说过的内容</translation>
    </message>
    <message>
        <source>Above 1 makes repeating the same words less likely</source>
        <translation>大于 1 时减少重复相同的词语</translation>
    </message>
    <message>
        <source>The reply ends where it would write one of these (one per line)</source>
        <translation>回复在将要写出其中任一内容处结束（每行一个）</translation>
    </message>
    <message>
        <source>One per line</source>
        <translation>每行一个</translation>
    </message>
    <message>
        <source>JSON mode: the reply is a JSON object</source>
        <translation>JSON 模式：回复为 JSON 对象</translation>
    </message>
    <message>
        <source>Reset to model defaults</source>
        <translation>恢复为模型默认值</translation>
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
        <translation>回复长度上限</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Presence penalty</source>
        <translation>存在惩罚</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Stop sequences</source>
        <translation>停止序列</translation>
    </message>
    <message>
        <source>Only with thinking off, as the service requires; ask for JSON in the message too</source>
        <translation>服务要求只能在关闭思考时使用；也请在消息中要求输出 JSON</translation>
    </message>
    <message>
        <source>The reply is a JSON object; ask for JSON in the message too</source>
        <translation>回复为 JSON 对象；也请在消息中要求输出 JSON</translation>
    </message>
</context>
<context>
    <name>ImageIntake</name>
    <message>
        <source>Drop images or documents to attach them</source>
        <translation>拖放图片或文档以添加</translation>
    </message>
    <message>
        <source>Password needed</source>
        <translation>需要密码</translation>
    </message>
    <message>
        <source>%1 is protected by a password. Enter it to read the document here:</source>
        <translation>%1 受密码保护。输入密码即可在此读取文档：</translation>
    </message>
    <message>
        <source>That password does not open %1. Try again:</source>
        <translation>该密码无法打开 %1，请重试：</translation>
    </message>
    <message>
        <source>%1 cannot be attached: images and documents (PDF, Word, Excel, PowerPoint, text, code) can.</source>
        <translation>%1 无法添加：只能添加图片和文档（PDF、Word、Excel、PowerPoint、文本、代码）。</translation>
    </message>
    <message>
        <source>Images from web pages are not downloaded: drag the picture itself or save it first.</source>
        <translation>不会下载网页中的图片：请直接拖动图片文件，或先将其保存。</translation>
    </message>
</context>
<context>
    <name>ImageStrip</name>
    <message>
        <source>image</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>KeyField</name>
    <message>
        <source>Show key</source>
        <translation>显示 API Key</translation>
    </message>
    <message>
        <source>Hide key</source>
        <translation>隐藏 API Key</translation>
    </message>
</context>
<context>
    <name>KeyRow</name>
    <message>
        <source>Using %1 from the environment.</source>
        <translation>正在使用环境变量 %1。</translation>
    </message>
    <message>
        <source>API key for %1</source>
        <translation>%1的 API Key</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Send one tiny request to check the key</source>
        <translation>发送一个极小的请求来检查 API Key</translation>
    </message>
    <message>
        <source>Store the key in the system keyring</source>
        <translation>将 API Key 保存到系统密钥环</translation>
    </message>
    <message>
        <source>Delete the stored key from the system keyring</source>
        <translation>从系统密钥环中删除已保存的 API Key</translation>
    </message>
    <message>
        <source>Use this region for new conversations</source>
        <translation>新对话使用此地域</translation>
    </message>
    <message>
        <source>&lt;a href=&quot;%1&quot;&gt;Get a key&lt;/a&gt;</source>
        <translation>&lt;a href=&quot;%1&quot;&gt;获取 API Key&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit or remove this custom region</source>
        <translation>编辑或删除此自定义地域</translation>
    </message>
    <message>
        <source>Edit region…</source>
        <translation>编辑地域…</translation>
    </message>
    <message>
        <source>Remove region</source>
        <translation>删除地域</translation>
    </message>
    <message>
        <source>No key yet.</source>
        <translation>尚未设置 API Key。</translation>
    </message>
    <message>
        <source>Paste an API key (sk-…)</source>
        <translation>粘贴 API Key（sk-…）</translation>
    </message>
    <message>
        <source>Paste a key to keep one for this region</source>
        <translation>粘贴 API Key 以保存到此地域</translation>
    </message>
    <message>
        <source>Stored in the system keyring: %1</source>
        <translation>已保存在系统密钥环中：%1</translation>
    </message>
    <message>
        <source>Paste a new key to replace it</source>
        <translation>粘贴新的 API Key 以替换</translation>
    </message>
    <message>
        <source>Paste a key to test.</source>
        <translation>请粘贴要测试的 API Key。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Not saved: %1 Paste another key, or test it again.</source>
        <translation>未保存：%1 请粘贴其他密钥，或重新测试。</translation>
    </message>
    <message>
        <source>Saved in the system keyring.</source>
        <translation>已保存到系统密钥环。</translation>
    </message>
    <message>
        <source>New conversations will use %1.</source>
        <translation>新对话将使用 %1。</translation>
    </message>
    <message>
        <source>Removed the stored key.</source>
        <translation>已删除保存的 API Key。</translation>
    </message>
    <message>
        <source>There was no stored key.</source>
        <translation>没有已保存的 API Key。</translation>
    </message>
</context>
<context>
    <name>KeyTestRunner</name>
    <message>
        <source>The key could not be tested (%1).</source>
        <translation>无法测试该 API Key（%1）。</translation>
    </message>
</context>
<context>
    <name>KeysPage</name>
    <message>
        <source>Each region has its own API keys: a Singapore key does not work in Beijing. Keys are kept in the system keyring, never in a settings file.</source>
        <translation>每个地域的 API Key 各不相同：新加坡的 API Key 不能在北京使用。API Key 保存在系统密钥环中，绝不会写入设置文件。</translation>
    </message>
    <message>
        <source>Add custom region…</source>
        <translation>添加自定义地域…</translation>
    </message>
    <message>
        <source>A region with the id %1 already exists.</source>
        <translation>ID 为 %1 的地域已存在。</translation>
    </message>
    <message>
        <source>Saved %1 (%2).</source>
        <translation>已保存 %1（%2）。</translation>
    </message>
    <message>
        <source>Added %1 (%2).</source>
        <translation>已添加 %1（%2）。</translation>
    </message>
    <message>
        <source>Removed %1 and its stored key.</source>
        <translation>已删除%1及其保存的 API Key。</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>无法保存设置：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>设置 (Ctrl+,)</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Tokens and cost over time (Ctrl+Shift+U)</source>
        <translation>词元用量与费用趋势 (Ctrl+Shift+U)</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>新对话(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Search conversations</source>
        <translation>搜索对话(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top reply</source>
        <translation>停止回复(&amp;T)</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Command palette…</source>
        <translation>命令面板(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Next recent conversation</source>
        <translation>下一个最近对话(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous recent conversation</source>
        <translation>上一个最近对话(&amp;P)</translation>
    </message>
    <message>
        <source>Previous &amp;message</source>
        <translation>上一条消息(&amp;M)</translation>
    </message>
    <message>
        <source>Ne&amp;xt message</source>
        <translation>下一条消息(&amp;X)</translation>
    </message>
    <message>
        <source>&amp;Write a message</source>
        <translation>输入消息(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Prompt library…</source>
        <translation>提示词库(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Usage</source>
        <translation>用量(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;About Qwen Desktop</source>
        <translation>关于 Qwen Desktop(&amp;A)</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>In the conversation list</source>
        <translation>在对话列表中</translation>
    </message>
    <message>
        <source>In the message box</source>
        <translation>在消息输入框中</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>New line</source>
        <translation>换行</translation>
    </message>
    <message>
        <source>Open the conversation</source>
        <translation>打开对话</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>The text size could not be saved: %1</source>
        <translation>无法保存文字大小：%1</translation>
    </message>
    <message>
        <source>No API key for %1 — add one in Settings (Ctrl+,).</source>
        <translation>%1尚无 API Key——请在设置（Ctrl+,）中添加。</translation>
    </message>
    <message>
        <source>thinking on, budget %1</source>
        <translation>思考：开启，预算 %1</translation>
    </message>
    <message>
        <source>thinking on</source>
        <translation>思考：开启</translation>
    </message>
    <message>
        <source>thinking off</source>
        <translation>思考：关闭</translation>
    </message>
    <message>
        <source>key from %1</source>
        <translation>API Key 来自 %1</translation>
    </message>
    <message>
        <source>%1 — Qwen Desktop</source>
        <translation>%1 — Qwen Desktop</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>A reply is still streaming in this conversation: stop it first.</source>
        <translation>此对话仍在生成回复：请先停止。</translation>
    </message>
    <message>
        <source>Conversation moved to the trash.</source>
        <translation>对话已移至回收站。</translation>
    </message>
    <message>
        <source>%1 (branch)</source>
        <translation>%1（分支）</translation>
    </message>
    <message>
        <source>Question and answer deleted.</source>
        <translation>问题及回答已删除。</translation>
    </message>
    <message>
        <source>Reply deleted.</source>
        <translation>回复已删除。</translation>
    </message>
    <message>
        <source>Empty trash</source>
        <translation>清空回收站</translation>
    </message>
    <message>
        <source>Delete every conversation in the trash forever? This cannot be undone.</source>
        <translation>永久删除回收站中的所有对话？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete forever</source>
        <translation>永久删除</translation>
    </message>
    <message>
        <source>Open link?</source>
        <translation>打开链接？</translation>
    </message>
    <message>
        <source>This link does not point to a web page:
%1

Open it anyway?</source>
        <translation>此链接指向的不是网页：
%1

仍要打开吗？</translation>
    </message>
</context>
<context>
    <name>Markdown</name>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>[image: %1]</source>
        <translation>[图片：%1]</translation>
    </message>
</context>
<context>
    <name>McpPage</name>
    <message>
        <source>Program (stdio)</source>
        <translation>程序（stdio）</translation>
    </message>
    <message>
        <source>HTTP (streamable)</source>
        <translation>HTTP（可流式）</translation>
    </message>
    <message>
        <source>e.g. npx -y @modelcontextprotocol/server-filesystem ~/notes</source>
        <translation>例如 npx -y @modelcontextprotocol/server-filesystem ~/notes</translation>
    </message>
    <message>
        <source>NAME=value, one a line (kept in the system keyring)</source>
        <translation>NAME=value，每行一个（保存在系统密钥环中）</translation>
    </message>
    <message>
        <source>Ask before each tool call</source>
        <translation>每次调用工具前询问</translation>
    </message>
    <message>
        <source>Save server</source>
        <translation>保存服务器</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Connect and list tools</source>
        <translation>连接并列出工具</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>MCP servers start when a conversation first uses them and stop when the app quits.</source>
        <translation>MCP 服务器会在对话首次使用时启动，并在应用退出时停止。</translation>
    </message>
    <message>
        <source>tools not listed yet</source>
        <translation>尚未列出工具</translation>
    </message>
    <message>
        <source>Give the server a name first.</source>
        <translation>请先为服务器命名。</translation>
    </message>
    <message>
        <source>The command has an unclosed quote.</source>
        <translation>命令中有未闭合的引号。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Saved, but the environment values were not: no system keyring can keep them. Set them in the environment that starts the app.</source>
        <translation>已保存，但环境变量的值未保存：没有可用的系统密钥环。请在启动本应用的环境中设置它们。</translation>
    </message>
    <message>
        <source>Pick a server first.</source>
        <translation>请先选择一个服务器。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>%1 offers %2 tools.</source>
        <translation>%1 提供 %2 个工具。</translation>
    </message>
</context>
<context>
    <name>MessageFooter</name>
    <message>
        <source>%1 in</source>
        <translation>输入 %1</translation>
    </message>
    <message>
        <source>%1 out</source>
        <translation>输出 %1</translation>
    </message>
    <message>
        <source>%1 reasoning</source>
        <translation>思考 %1</translation>
    </message>
    <message>
        <source>%1 cached</source>
        <translation>缓存 %1</translation>
    </message>
    <message>
        <source>%1 written to the cache</source>
        <translation>写入缓存 %1</translation>
    </message>
    <message>
        <source>web searches: %1</source>
        <translation>联网搜索 %1 次</translation>
    </message>
    <message>
        <source>~%1 in from search results</source>
        <translation>搜索结果约占输入 %1</translation>
    </message>
    <message>
        <source>cache saved %1</source>
        <translation>缓存节省 %1</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <source>This call did not finish.</source>
        <translation>此次调用未完成。</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy message</source>
        <translation>复制消息</translation>
    </message>
    <message>
        <source>More actions</source>
        <translation>更多操作</translation>
    </message>
    <message>
        <source>Continue in a new conversation from here</source>
        <translation>从这里在新对话中继续</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>ModelText</name>
    <message>
        <source>%1 is served on the native multimodal path: the reply was asked for there, and the app will go there first from now on.</source>
        <translation>%1 由原生多模态接口提供：本次回复已改从该接口请求，今后应用会首先使用它。</translation>
    </message>
    <message>
        <source>%1 is served on the native text path: the reply was asked for there, and the app will go there first from now on.</source>
        <translation>%1 由原生文本接口提供：本次回复已改从该接口请求，今后应用会首先使用它。</translation>
    </message>
    <message>
        <source>%1 always thinks: the service does not let thinking be turned off for it.</source>
        <translation>%1 总是思考：服务不允许为它关闭思考。</translation>
    </message>
    <message>
        <source>%1 thinks unless told not to: its thinking is shown, and when thinking is off the app now asks it not to think.</source>
        <translation>%1 默认会思考：其思考过程会显示出来；思考关闭时，应用今后会明确要求它不思考。</translation>
    </message>
    <message>
        <source>%1 accepts a thinking budget of at most %2 tokens: the budget was lowered to that.</source>
        <translation>%1 最多接受 %2 个词元的思考预算：预算已降至该值。</translation>
    </message>
    <message>
        <source>%1 reads at most %2 tokens of input: the conversation was fitted to that under its context policy.</source>
        <translation>%1 最多读取 %2 个词元的输入：已按对话的上下文策略把对话缩减到该长度。</translation>
    </message>
    <message>
        <source>%1 does not take the Responses API here: switch its conversations to the OpenAI-compatible protocol.</source>
        <translation>%1 在此不支持 Responses API：请将它的对话切换为 OpenAI 兼容协议。</translation>
    </message>
    <message>
        <source>%1 cannot see images: the images are kept with your message; pick a vision model to send them.</source>
        <translation>%1 无法识别图片：图片仍保留在你的消息中；请选择视觉模型来发送它们。</translation>
    </message>
    <message>
        <source>/think has no effect while thinking is off: the service ignores it. Turn thinking on to use it.</source>
        <translation>思考关闭时 /think 不起作用：服务会忽略它。请打开思考后再使用。</translation>
    </message>
    <message>
        <source>/no_think has no effect on %1: it always thinks.</source>
        <translation>/no_think 对 %1 不起作用：它总是思考。</translation>
    </message>
    <message>
        <source>/no_think: this message is answered without thinking.</source>
        <translation>/no_think：这条消息将不经思考直接回答。</translation>
    </message>
    <message>
        <source>/think: this message is answered with thinking.</source>
        <translation>/think：这条消息将先思考再回答。</translation>
    </message>
    <message>
        <source>%1 always thinks: it will think for this reply even though thinking is off.</source>
        <translation>%1 总是思考：即使思考已关闭，这次回复也会思考。</translation>
    </message>
    <message>
        <source>%1 accepts a thinking budget of at most %2 tokens: %3 is lowered to that.</source>
        <translation>%1 最多接受 %2 个词元的思考预算：%3 将降至该值。</translation>
    </message>
    <message>
        <source>%1 works best without a system prompt: the vendor advises leaving it empty.</source>
        <translation>%1 不设系统提示效果最好：厂商建议将其留空。</translation>
    </message>
    <message>
        <source>Thinking: on</source>
        <translation>思考：开</translation>
    </message>
    <message>
        <source>Thinking: off</source>
        <translation>思考：关</translation>
    </message>
</context>
<context>
    <name>PromptManager</name>
    <message>
        <source>Prompt library</source>
        <translation>提示词库</translation>
    </message>
    <message>
        <source>Search prompts</source>
        <translation>搜索提示词</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Name (type / and part of it in the message box)</source>
        <translation>名称（在消息框中输入 / 和名称的一部分即可插入）</translation>
    </message>
    <message>
        <source>The prompt. Write {{name}} where something is to be filled in; Tab moves from one to the next after inserting it.</source>
        <translation>提示词内容。在需要填写的位置写 {{名称}}；插入后按 Tab 在各处之间移动。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Variables: %1</source>
        <translation>变量：%1</translation>
    </message>
    <message>
        <source>No variables: write {{name}} to add one.</source>
        <translation>没有变量：写 {{名称}} 即可添加。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <source>Prompt files (*.json)</source>
        <translation>提示词文件 (*.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Import prompts</source>
        <translation>导入提示词</translation>
    </message>
    <message>
        <source>Export prompts</source>
        <translation>导出提示词</translation>
    </message>
    <message>
        <source>Imported %1 new and replaced %2 prompts.</source>
        <translation>新导入 %1 个提示词，替换 %2 个。</translation>
    </message>
    <message>
        <source>Exported %1 prompts to %2.</source>
        <translation>已将 %1 个提示词导出到 %2。</translation>
    </message>
</context>
<context>
    <name>PromptMenu</name>
    <message>
        <source>↑↓ choose · Enter or Tab insert · Esc close</source>
        <translation>↑↓ 选择 · Enter 或 Tab 插入 · Esc 关闭</translation>
    </message>
</context>
<context>
    <name>RegionChoice</name>
    <message>
        <source>Other region…</source>
        <translation>其他地域…</translation>
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
        <translation>弗吉尼亚</translation>
    </message>
    <message>
        <source>Singapore</source>
        <translation>新加坡</translation>
    </message>
    <message>
        <source>China (Beijing)</source>
        <translation>中国（北京）</translation>
    </message>
    <message>
        <source>US (Virginia)</source>
        <translation>美国（弗吉尼亚）</translation>
    </message>
    <message>
        <source>China (Hong Kong)</source>
        <translation>中国（香港）</translation>
    </message>
</context>
<context>
    <name>RetrievalProgress</name>
    <message>
        <source>Preparing earlier messages for retrieval…</source>
        <translation>正在为检索准备历史消息…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Indexing earlier rounds for retrieval: %1 of %2</source>
        <translation>正在为检索索引历史对话：%1 / %2</translation>
    </message>
</context>
<context>
    <name>SearchControls</name>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>始终</translation>
    </message>
    <message>
        <source>Turbo</source>
        <translation>Turbo</translation>
    </message>
    <message>
        <source>Fast single search; fine for most questions.</source>
        <translation>单次快速搜索，适合大多数问题。</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>Max</translation>
    </message>
    <message>
        <source>Searches several engines for fuller results; slower.</source>
        <translation>调用多个搜索引擎，结果更全面，但更慢。</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>The model searches as many times as it needs and combines the results.</source>
        <translation>模型按需多次搜索并整合结果。</translation>
    </message>
    <message>
        <source>Agent max</source>
        <translation>Agent max</translation>
    </message>
    <message>
        <source>Agent searching that also reads whole pages (thinking models).</source>
        <translation>在 Agent 搜索基础上读取完整网页（思考模型）。</translation>
    </message>
    <message>
        <source>Web search</source>
        <translation>联网搜索</translation>
    </message>
    <message>
        <source>The service refused web search for this model in this region: %1</source>
        <translation>服务拒绝在此地域为该模型联网搜索：%1</translation>
    </message>
    <message>
        <source>Let the model search the web: Auto when it decides, Always on every message. Sources are listed under the reply on the DashScope protocol.</source>
        <translation>让模型联网搜索：“自动”由模型决定，“始终”每条消息都搜索。使用 DashScope 协议时，来源列在回复下方。</translation>
    </message>
    <message>
        <source>(%1 %2 per 1,000 searches, plus the results&apos; input tokens)</source>
        <translation>（每 1,000 次搜索 %1 %2，另计搜索结果的输入词元）</translation>
    </message>
</context>
<context>
    <name>SearchHitDelegate</name>
    <message>
        <source>Matched in the title</source>
        <translation>标题中匹配</translation>
    </message>
</context>
<context>
    <name>SearchNote</name>
    <message>
        <source>Searched the web — sources are only returned on the DashScope protocol.</source>
        <translation>已联网搜索——只有 DashScope 协议会返回来源。</translation>
    </message>
    <message>
        <source>Switch to DashScope</source>
        <translation>切换到 DashScope</translation>
    </message>
    <message>
        <source>Use the DashScope native protocol for this conversation</source>
        <translation>此对话改用 DashScope 原生协议</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Keys &amp;&amp; regions</source>
        <translation>API Key 与地域</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>默认设置</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>MCP servers</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>无法保存设置：%1</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
    <message>
        <source>New conversation with an assistant (Ctrl+Shift+N)</source>
        <translation>使用助手新建对话（Ctrl+Shift+N）</translation>
    </message>
    <message>
        <source>Search conversations (Ctrl+K)</source>
        <translation>搜索对话 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Deleted conversations, kept for a while</source>
        <translation>已删除的对话，会保留一段时间</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>No conversations match “%1”.</source>
        <translation>没有与“%1”匹配的对话。</translation>
    </message>
    <message>
        <source>No conversations yet.</source>
        <translation>还没有对话。</translation>
    </message>
</context>
<context>
    <name>SourcesPanel</name>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
</context>
<context>
    <name>SummaryDivider</name>
    <message>
        <source>Earlier messages summarized</source>
        <translation>早期消息已摘要</translation>
    </message>
    <message>
        <source>Messages above this line reach the model only as this summary</source>
        <translation>此线以上的消息仅以该摘要的形式发送给模型</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Summarized by %1</source>
        <translation>由 %1 生成摘要</translation>
    </message>
    <message>
        <source>Edited by you</source>
        <translation>已由你编辑</translation>
    </message>
    <message>
        <source>Summarizing again…</source>
        <translation>正在重新生成摘要…</translation>
    </message>
</context>
<context>
    <name>SyncErrors</name>
    <message>
        <source>The sync location could not be reached.</source>
        <translation>无法访问同步位置。</translation>
    </message>
    <message>
        <source>A file in the sync location has gone.</source>
        <translation>同步位置中的一个文件已不存在。</translation>
    </message>
    <message>
        <source>A file in the sync location changed while it was being written.</source>
        <translation>同步位置中的一个文件在写入时被改动了。</translation>
    </message>
    <message>
        <source>The sync passphrase is not the one this sync location was set up with.</source>
        <translation>同步口令与设置此同步位置时使用的口令不同。</translation>
    </message>
    <message>
        <source>The sync location holds a qwen-sync.json this version of Qwen Desktop cannot read; it may belong to a newer version.</source>
        <translation>同步位置中的 qwen-sync.json 无法被此版本的 Qwen Desktop 读取，可能来自更新的版本。</translation>
    </message>
    <message>
        <source>The WebDAV server did not accept the user name or password.</source>
        <translation>WebDAV 服务器不接受此用户名或密码。</translation>
    </message>
    <message>
        <source>The WebDAV server does not let this account change files in this folder.</source>
        <translation>WebDAV 服务器不允许此账户修改该文件夹中的文件。</translation>
    </message>
    <message>
        <source>The WebDAV address was not found on the server: check the address.</source>
        <translation>服务器上找不到此 WebDAV 地址：请检查地址。</translation>
    </message>
    <message>
        <source>The WebDAV server has no space left (Insufficient Storage): free some space on it.</source>
        <translation>WebDAV 服务器空间已满（存储空间不足）：请在服务器上腾出空间。</translation>
    </message>
    <message>
        <source>The WebDAV server refused a file as too large.</source>
        <translation>WebDAV 服务器因文件过大而拒绝了它。</translation>
    </message>
    <message>
        <source>The WebDAV server&apos;s certificate could not be verified, so nothing was sent to it.</source>
        <translation>无法验证 WebDAV 服务器的证书，因此没有向它发送任何内容。</translation>
    </message>
    <message>
        <source>The WebDAV server could not be reached: check the address and the network connection.</source>
        <translation>无法连接 WebDAV 服务器：请检查地址和网络连接。</translation>
    </message>
    <message>
        <source>The WebDAV server stopped answering (timed out).</source>
        <translation>WebDAV 服务器停止响应（超时）。</translation>
    </message>
    <message>
        <source>The WebDAV server had a problem; syncing will try again later.</source>
        <translation>WebDAV 服务器出现问题；稍后会再次同步。</translation>
    </message>
    <message>
        <source>The WebDAV server asked to slow down; syncing will try again later.</source>
        <translation>WebDAV 服务器要求放慢请求；稍后会再次同步。</translation>
    </message>
    <message>
        <source>The WebDAV server sent an answer this app could not read.</source>
        <translation>WebDAV 服务器返回了本应用无法读取的响应。</translation>
    </message>
    <message>
        <source>The WebDAV server sends this address elsewhere: enter the final address (often ending in /remote.php/dav/files/NAME/).</source>
        <translation>WebDAV 服务器将此地址重定向到别处：请输入最终地址（通常以 /remote.php/dav/files/用户名/ 结尾）。</translation>
    </message>
    <message>
        <source>Enter the WebDAV address starting with https://.</source>
        <translation>请输入以 https:// 开头的 WebDAV 地址。</translation>
    </message>
    <message>
        <source>The WebDAV address must not contain a user name or password: enter them in their own fields.</source>
        <translation>WebDAV 地址中不能包含用户名或密码：请在各自的输入框中填写。</translation>
    </message>
    <message>
        <source>Use an https:// address: over http:// the password would cross the network unencrypted.</source>
        <translation>请使用 https:// 地址：通过 http:// 密码会以未加密的形式在网络上传输。</translation>
    </message>
    <message>
        <source>The WebDAV address must not contain ? or #.</source>
        <translation>WebDAV 地址中不能包含 ? 或 #。</translation>
    </message>
    <message>
        <source>%1 is cut short. It was skipped and will be tried again at the next sync.</source>
        <translation>%1 不完整。已跳过，下次同步时会再试。</translation>
    </message>
    <message>
        <source>%1 is damaged or was not written for this sync location. It was skipped and will be tried again at the next sync.</source>
        <translation>%1 已损坏，或不是为此同步位置写入的。已跳过，下次同步时会再试。</translation>
    </message>
    <message>
        <source>The sync passphrase is not in the system keyring: set sync up again in Settings.</source>
        <translation>系统密钥环中没有同步口令：请在设置中重新设置同步。</translation>
    </message>
    <message>
        <source>Sync stopped because of an unexpected problem; the details are in the log file.</source>
        <translation>同步因意外问题而停止；详细信息见日志文件。</translation>
    </message>
    <message>
        <source>The sync passphrase needs at least 8 characters.</source>
        <translation>同步口令至少需要 8 个字符。</translation>
    </message>
    <message>
        <source>The sync folder does not exist: create it (or let your sync engine create it) first.</source>
        <translation>同步文件夹不存在：请先创建它（或让你的同步工具创建）。</translation>
    </message>
    <message>
        <source>No usable system keyring was found, so the sync passphrase cannot be kept safely.</source>
        <translation>找不到可用的系统密钥环，因此无法安全保存同步口令。</translation>
    </message>
    <message>
        <source>A file in the sync location does not hold what its name says. It was skipped and will be tried again at the next sync.</source>
        <translation>同步位置中有一个文件的内容与其名称不符。已跳过，下次同步时会再试。</translation>
    </message>
    <message>
        <source>The sync folder %1 does not exist or is not a folder.</source>
        <translation>同步文件夹 %1 不存在或不是文件夹。</translation>
    </message>
    <message>
        <source>The sync location could not be used (%1).</source>
        <translation>无法使用同步位置（%1）。</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Keep the same conversations on every computer. Everything is encrypted with your passphrase before it leaves this computer: the folder or the server only ever holds ciphertext.</source>
        <translation>在每台电脑上保持相同的对话。所有内容在离开这台电脑之前都会用你的口令加密：文件夹或服务器上只保存密文。</translation>
    </message>
    <message>
        <source>A synced folder (Syncthing, Nextcloud, Dropbox, a network share…)</source>
        <translation>同步文件夹（Syncthing、Nextcloud、Dropbox、网络共享……）</translation>
    </message>
    <message>
        <source>A WebDAV server</source>
        <translation>WebDAV 服务器</translation>
    </message>
    <message>
        <source>The folder your sync engine keeps the same everywhere</source>
        <translation>由你的同步工具在各处保持一致的文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择……</translation>
    </message>
    <message>
        <source>Set up sync</source>
        <translation>设置同步</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>用户名：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>口令：</translation>
    </message>
    <message>
        <source>Passphrase again:</source>
        <translation>再次输入口令：</translation>
    </message>
    <message>
        <source>Use the same passphrase on every computer. It cannot be recovered: without it the synced copy cannot be read.</source>
        <translation>请在每台电脑上使用相同的口令。口令无法找回：没有它，同步的副本就无法读取。</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Leave sync…</source>
        <translation>退出同步……</translation>
    </message>
    <message>
        <source>Leaving stops syncing on this computer and forgets the passphrase here; every conversation stays on this computer.</source>
        <translation>退出后，这台电脑将停止同步并删除本机保存的口令；所有对话仍保留在这台电脑上。</translation>
    </message>
    <message>
        <source>Syncing with %1</source>
        <translation>正在与 %1 同步</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Sync folder</source>
        <translation>同步文件夹</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <source>Choose the folder to sync through.</source>
        <translation>请选择用于同步的文件夹。</translation>
    </message>
    <message>
        <source>Checking the sync location…</source>
        <translation>正在检查同步位置……</translation>
    </message>
    <message>
        <source>Leave sync</source>
        <translation>退出同步</translation>
    </message>
    <message>
        <source>Stop syncing on this computer? Its conversations stay here, and the synced copy stays where it is for your other computers.</source>
        <translation>要在这台电脑上停止同步吗？对话会保留在这里，同步的副本也会保留原处，供你的其他电脑使用。</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Syncing…</source>
        <translation>正在同步……</translation>
    </message>
    <message>
        <source>Sync failed: %1</source>
        <translation>同步失败：%1</translation>
    </message>
    <message>
        <source>Sync paused</source>
        <translation>同步已暂停</translation>
    </message>
    <message>
        <source>Synced at %1</source>
        <translation>同步于 %1</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>%1 changes waiting</source>
        <translation>%1 项更改待同步</translation>
    </message>
    <message>
        <source>%1 files could not be read</source>
        <translation>%1 个文件无法读取</translation>
    </message>
    <message>
        <source>Sync settings</source>
        <translation>同步设置</translation>
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
        <translation>已思考 %1 秒</translation>
    </message>
    <message>
        <source>Thought process</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>Allow once</source>
        <translation>允许一次</translation>
    </message>
    <message>
        <source>Always for this conversation</source>
        <translation>在此对话中始终允许</translation>
    </message>
    <message>
        <source>Deny</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Allow %1 to run?</source>
        <translation>允许运行 %1 吗？</translation>
    </message>
    <message>
        <source>Allow %1 to read %2?</source>
        <translation>允许 %1 读取 %2 吗？</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>等待批准</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
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
        <translation>联网搜索</translation>
    </message>
    <message>
        <source>Web extractor (reads the pages it finds)</source>
        <translation>网页抽取（读取找到的网页）</translation>
    </message>
    <message>
        <source>Code interpreter</source>
        <translation>代码解释器</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>日期和时间</translation>
    </message>
    <message>
        <source>Calculator</source>
        <translation>计算器</translation>
    </message>
    <message>
        <source>Read a local file (asks first)</source>
        <translation>读取本地文件（先询问）</translation>
    </message>
    <message>
        <source>Tools the model may call in this conversation</source>
        <translation>模型在此对话中可以调用的工具</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>MCP servers</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <source>Run by the service (Responses API)</source>
        <translation>由服务端运行（Responses API）</translation>
    </message>
</context>
<context>
    <name>TrashPanel</name>
    <message>
        <source>Back to the conversations</source>
        <translation>返回对话列表</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
    <message>
        <source>The trash is empty.</source>
        <translation>回收站是空的。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Delete forever</source>
        <translation>永久删除</translation>
    </message>
    <message>
        <source>Empty trash</source>
        <translation>清空回收站</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Delete for good after</source>
        <translation>永久删除前保留</translation>
    </message>
    <message>
        <source>Untitled conversation</source>
        <translation>未命名对话</translation>
    </message>
    <message>
        <source>deleted %1 · %2 messages · %3 days left</source>
        <translation>删除于 %1 · %2 条消息 · 还剩 %3 天</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Show Qwen Desktop</source>
        <translation>显示 Qwen Desktop</translation>
    </message>
    <message>
        <source>The reply failed.</source>
        <translation>回复失败。</translation>
    </message>
    <message>
        <source>The reply is ready.</source>
        <translation>回复已完成。</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <source>Conversation deleted.</source>
        <translation>对话已删除。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
</context>
<context>
    <name>UsageWindow</name>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>最近 90 天</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <source>By model</source>
        <translation>按模型</translation>
    </message>
    <message>
        <source>By region</source>
        <translation>按地域</translation>
    </message>
    <message>
        <source>Export usage</source>
        <translation>导出用量</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Usage — Qwen Desktop</source>
        <translation>用量 — Qwen Desktop</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Tokens per day</source>
        <translation>每日词元用量</translation>
    </message>
    <message>
        <source>Estimated cost per day</source>
        <translation>每日预估费用</translation>
    </message>
    <message>
        <source>Cached share of input</source>
        <translation>输入中的缓存占比</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>回复数</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>未知模型</translation>
    </message>
    <message>
        <source>Cached input</source>
        <translation>缓存输入</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <source>%1 replies</source>
        <translation>%1 条回复</translation>
    </message>
    <message>
        <source>%1% of input cached</source>
        <translation>输入中 %1% 命中缓存</translation>
    </message>
    <message>
        <source>%1 web searches, ~%2 input tokens from their results</source>
        <translation>联网搜索 %1 次，搜索结果约占输入 %2 个词元</translation>
    </message>
    <message>
        <source>No replies with usage in this range yet.</source>
        <translation>此时间范围内还没有带用量数据的回复。</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported %1 replies to %2</source>
        <translation>已将 %1 条回复导出到 %2</translation>
    </message>
</context>
<context>
    <name>UserMessageWidget</name>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit and resend</source>
        <translation>编辑并重新发送</translation>
    </message>
    <message>
        <source>Delete with its answer</source>
        <translation>连同回答一起删除</translation>
    </message>
</context>
<context>
    <name>VersionSwitcher</name>
    <message>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Version %1 of %2</source>
        <translation>第 %1 个版本，共 %2 个</translation>
    </message>
</context>
<context>
    <name>VisionBanner</name>
    <message>
        <source>Remove the images</source>
        <translation>移除图片</translation>
    </message>
    <message>
        <source>%1 cannot see images.</source>
        <translation>%1 无法理解图片。</translation>
    </message>
    <message>
        <source>Switch to %1 and send</source>
        <translation>切换到 %1 并发送</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <source>Chat with Qwen models on Alibaba Cloud Model Studio, right from your desktop.</source>
        <translation>在桌面上直接与阿里云百炼的通义千问模型对话。</translation>
    </message>
    <message>
        <source>Paste your API key (sk-…)</source>
        <translation>粘贴您的 API Key（sk-…）</translation>
    </message>
    <message>
        <source>Test and save</source>
        <translation>测试并保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Use a company gateway or another address…</source>
        <translation>使用公司网关或其他地址…</translation>
    </message>
    <message>
        <source>The key is kept in your system keyring. You can add keys for other regions later in Settings.</source>
        <translation>API Key 保存在系统密钥环中。之后可以在设置中为其他地域添加 API Key。</translation>
    </message>
    <message>
        <source>Where is your Model Studio account?</source>
        <translation>您的阿里云百炼账号在哪个地域？</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API Key</translation>
    </message>
    <message>
        <source>&lt;a href=&quot;%1&quot;&gt;Get an API key&lt;/a&gt; for %2</source>
        <translation>&lt;a href=&quot;%1&quot;&gt;获取%2的 API Key&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Test cancelled: the key was not saved.</source>
        <translation>已取消测试：密钥未保存。</translation>
    </message>
    <message>
        <source>Paste your API key first.</source>
        <translation>请先粘贴您的 API Key。</translation>
    </message>
    <message>
        <source>Testing the key with %1…</source>
        <translation>正在使用%1测试 API Key…</translation>
    </message>
    <message>
        <source>%1 could not be reached: check the internet connection, or a proxy or firewall in between, then test again.</source>
        <translation>无法连接到 %1：请检查网络连接，或中间的代理、防火墙，然后重新测试。</translation>
    </message>
    <message>
        <source>Save it for %1</source>
        <translation>保存到%1</translation>
    </message>
    <message>
        <source>The key works for %1 and is saved.</source>
        <translation>该 API Key 可用于%1，已保存。</translation>
    </message>
</context>
<context>
    <name>_DocumentCard</name>
    <message>
        <source>Remove this document</source>
        <translation>移除此文档</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>移除 %1</translation>
    </message>
</context>
<context>
    <name>_Optional</name>
    <message>
        <source>Model default</source>
        <translation>模型默认值</translation>
    </message>
</context>
<context>
    <name>_Thumb</name>
    <message>
        <source>Remove this image</source>
        <translation>移除这张图片</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>移除 %1</translation>
    </message>
</context>
</TS>
